import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";

// RFC 9110 §7.6.1: meaningful for one hop only. `upgrade` and `connection` are added back for WebSocket upgrades.
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
]);
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

/** The raw head of an HTTP/1.1 response, for answers written straight to an upgrading socket. */
export function rawResponseHead(
  status: number,
  reason: string,
  headers: IncomingHttpHeaders | OutgoingHttpHeaders = {},
): string {
  const lines = [`HTTP/1.1 ${status} ${reason}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Joins a client's upgraded socket to the upstream's WebSocket handshake: 101 and both directions piped, or the
 * upstream's refusal (or 502) written back as a raw response. Sends the upstream request.
 */
export function tunnelUpgrade(upstream: ClientRequest, socket: Duplex, head: Buffer): void {
  upstream.on("upgrade", (answer, upstreamSocket, upstreamHead) => {
    socket.write(rawResponseHead(101, "Switching Protocols", answer.headers));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.on("error", () => socket.destroy());
    socket.on("close", () => upstreamSocket.destroy());
    upstreamSocket.on("close", () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  upstream.on("response", (answer) => {
    socket.end(rawResponseHead(answer.statusCode ?? 502, answer.statusMessage ?? "Refused"));
    answer.resume();
  });
  upstream.on("error", () => socket.end(rawResponseHead(502, "Bad Gateway")));
  upstream.end();
}
