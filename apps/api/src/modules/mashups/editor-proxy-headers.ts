import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { HOP_BY_HOP } from "../../http/proxy/hop-by-hop.ts";

// The user's STATUS credentials: Node-RED must never see them.
const STATUS_CREDENTIALS = new Set(["cookie", "x-access-token", "x-csrf-token"]);
// A Node-RED admin token is base64 (Node-RED's own format). STATUS access tokens are JWTs (with dots) and API tokens
// start with `stt_`, so neither matches and neither is forwarded.
const NODE_RED_BEARER = /^Bearer [A-Za-z0-9+/]{20,}={0,2}$/;

/**
 * The request headers Node-RED receives: no STATUS credential, no hop-by-hop header, and where the request came from.
 */
export function upstreamRequestHeaders(
  req: IncomingMessage,
  options: { upstreamHost: string; prefix: string; isUpgrade: boolean },
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      STATUS_CREDENTIALS.has(name) ||
      name === "host" ||
      name.startsWith("x-forwarded-")
    )
      continue;
    if (name === "authorization" && !(typeof value === "string" && NODE_RED_BEARER.test(value))) continue;
    headers[name] = value;
  }
  headers.host = options.upstreamHost;
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  headers["x-forwarded-host"] = req.headers.host ?? "";
  headers["x-forwarded-prefix"] = options.prefix;
  if (options.isUpgrade) {
    headers.connection = "Upgrade";
    headers.upgrade = req.headers.upgrade ?? "websocket";
  }
  return headers;
}

/** Node-RED's response headers for the browser: no hop-by-hop header, no cookie, redirects kept under the prefix. */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders, prefix: string): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === "set-cookie") continue;
    result[name] = value;
  }
  if (typeof result.location === "string" && result.location.startsWith("/") && !result.location.startsWith("//")) {
    result.location = `${prefix}${result.location}`;
  }
  // The first editor URL carries an admin token in its query; it must not travel on in a Referer.
  result["referrer-policy"] = "no-referrer";
  return result;
}

/** The path Node-RED serves: the prefix removed, and the editor's one-time `access_token` kept out of its logs. */
export function upstreamPath(basePath: string, url: string): string {
  const separator = url.indexOf("?");
  if (separator < 0) return `${basePath}${url}`;
  const query = url
    .slice(separator + 1)
    .split("&")
    .filter((pair) => !pair.startsWith("access_token="))
    .join("&");
  return `${basePath}${url.slice(0, separator)}${query ? `?${query}` : ""}`;
}
