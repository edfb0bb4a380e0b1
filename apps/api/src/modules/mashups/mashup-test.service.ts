import type { MashupTestResult, TestMashupBody } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { AppError, ServiceUnavailableError } from "../../errors.ts";
import { parseFlowResult } from "../../domain/evaluation.ts";
import { getMashup } from "./mashups.service.ts";
import { MashupUnreachableError } from "../../node-red/node-red-client.ts";

type MashupTestDeps = Pick<AppDeps, "cache" | "nodeRed" | "config">;

/** Why a run could not use what the flow answered, or null when it could. */
function problemOf(status: number, body: unknown): string | null {
  if (status === 202)
    return "The flow answered 202: it reports through the bulk callback, which a test call does not provide";
  if (status < 200 || status >= 300) return `The flow answered HTTP ${status}`;
  const parsed = parseFlowResult(body);
  return parsed.isValid ? null : parsed.problem;
}

/**
 * Calls a mashup once with the body a run would send (params, scope, window, period) and answers what it returned,
 * raw, with the time it took. Nothing is stored and no run exists, so there is no run id and no bulk callback.
 * A flow that does not answer in time: 504 `mashup_timeout`; Node-RED unreachable: 503 `service_unavailable`.
 */
export async function testMashup(
  deps: MashupTestDeps,
  mashupId: string,
  input: TestMashupBody,
): Promise<MashupTestResult> {
  const mashup = await getMashup(deps, mashupId);
  const limit = deps.config.engine.mashupTimeoutMs;
  const timeoutMs = Math.min(input.timeoutMs ?? limit, limit);
  const body = {
    controlId: null,
    runId: null,
    isTest: true,
    params: input.params,
    scope: input.scope,
    from: input.from,
    to: input.to,
    period: input.period,
  };
  const startedAt = performance.now();
  let response;
  try {
    response = await deps.nodeRed.invokeMashup({ path: mashup.url, body, timeoutMs });
  } catch (error) {
    if (!(error instanceof MashupUnreachableError)) throw error;
    if (error.isTimeout)
      throw new AppError(
        504,
        "mashup_timeout",
        "The mashup did not answer in time",
        `${mashup.name} did not answer within ${timeoutMs} ms`,
      );
    throw new ServiceUnavailableError("service_unavailable", error.message);
  }
  const durationMs = Math.round(performance.now() - startedAt);
  const problem = problemOf(response.status, response.body);
  return {
    mashupId: mashup.id,
    status: response.status,
    body: response.body,
    durationMs,
    isValid: problem === null,
    problem,
  };
}
