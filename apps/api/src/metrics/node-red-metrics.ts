import { MashupUnreachableError, type NodeRedClient } from "../node-red/node-red-client.ts";
import type { Metrics, NodeRedCallError } from "./metrics.ts";

/** The outcome label of an answer: its status class; a 5xx or 4xx is also an error of that kind. */
function classify(status: number): { outcome: string; error?: NodeRedCallError } {
  if (status >= 500) return { outcome: "5xx", error: "server_error" };
  if (status >= 400) return { outcome: "4xx", error: "refused" };
  return { outcome: `${Math.floor(status / 100)}xx` };
}

/** The Node-RED client with its mashup calls timed and their failures counted (status_node_red_call_*). */
export function instrumentNodeRed(client: NodeRedClient, metrics: Metrics): NodeRedClient {
  return {
    ...client,
    async invokeMashup(call) {
      const stop = metrics.nodeRedCallDuration.startTimer();
      try {
        const response = await client.invokeMashup(call);
        const { outcome, error } = classify(response.status);
        stop({ outcome });
        if (error) metrics.nodeRedCallErrors.inc({ reason: error });
        return response;
      } catch (error) {
        const reason: NodeRedCallError =
          error instanceof MashupUnreachableError && error.isTimeout ? "timeout" : "unreachable";
        stop({ outcome: reason });
        metrics.nodeRedCallErrors.inc({ reason });
        throw error;
      }
    },
  };
}
