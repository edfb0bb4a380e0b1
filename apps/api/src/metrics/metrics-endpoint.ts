import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "./metrics.ts";

export const METRICS_PATH = "/metrics";

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
function isAuthorized(token: string, authorization: string | undefined): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * Answers a scrape: the registry in Prometheus's text format with the token, 401 (with `WWW-Authenticate: Bearer`)
 * without it, 405 for anything but GET and HEAD. Plain Node HTTP, so the API and the worker share it.
 */
export async function answerScrape(
  metrics: Metrics,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("Method not allowed\n");
    return;
  }
  if (!isAuthorized(token, req.headers.authorization)) {
    res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" });
    res.end("A Bearer token (METRICS_TOKEN) is required\n");
    return;
  }
  const body = await metrics.registry.metrics();
  res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * With METRICS_PORT, /metrics on a port of its own (the worker's only HTTP port; for the API, a port that can stay
 * on the internal network). Undefined when metrics are disabled (no METRICS_TOKEN) or no port is set.
 */
export function startMetricsServer(
  config: Pick<Config, "metrics" | "host">,
  metrics: Metrics,
  log: Logger,
): Server | undefined {
  const { token, port } = config.metrics;
  if (!token || port === undefined) return undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    answerScrape(metrics, token, req, res).catch((error: unknown) => {
      log.error({ err: error }, "metrics scrape failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.listen(port, config.host, () => log.info({ port }, `metrics served at :${port}${METRICS_PATH}`));
  return server;
}
