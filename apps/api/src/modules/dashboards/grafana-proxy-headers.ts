import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { HOP_BY_HOP } from "../../http/proxy/hop-by-hop.ts";

// STATUS credentials never reach Grafana: it identifies the user by the auth-proxy headers alone.
const STATUS_CREDENTIALS = new Set(["authorization", "x-access-token", "x-csrf-token"]);
// Grafana's own cookies (e.g. grafana_session); every other cookie of the site stays here.
const GRAFANA_COOKIE = /^grafana_/;

/**
 * The headers Grafana receives: the identity STATUS vouches for, and nothing a client could use to claim another —
 * every client-sent X-WEBAUTH-* header is dropped before the identity is added.
 */
export function grafanaRequestHeaders(
  req: IncomingMessage,
  identity: Record<string, string>,
  isUpgrade: boolean,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      STATUS_CREDENTIALS.has(name) ||
      name.startsWith("x-webauth-") ||
      name.startsWith("x-forwarded-") ||
      name === "cookie"
    )
      continue;
    headers[name] = value;
  }
  const cookies = grafanaCookies(req.headers.cookie);
  if (cookies) headers.cookie = cookies;
  // Host is kept: Grafana compares a request's Origin with it before accepting unsafe requests.
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  headers["x-forwarded-host"] = req.headers.host ?? "";
  for (const [name, value] of Object.entries(identity)) headers[name.toLowerCase()] = value;
  if (isUpgrade) {
    headers.connection = "Upgrade";
    headers.upgrade = req.headers.upgrade ?? "websocket";
  }
  return headers;
}

function grafanaCookies(header: string | undefined): string {
  return (header ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => GRAFANA_COOKIE.test(pair))
    .join("; ");
}

/** Grafana's response headers for the browser: no hop-by-hop header, redirects moved from Grafana's path to ours. */
export function grafanaResponseHeaders(
  headers: IncomingHttpHeaders,
  paths: { upstream: string; public: string },
): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    result[name] = value;
  }
  const location = result.location;
  if (
    typeof location === "string" &&
    location.startsWith("/") &&
    !location.startsWith("//") &&
    paths.upstream !== paths.public
  ) {
    result.location =
      location.startsWith(`${paths.upstream}/`) || location === paths.upstream
        ? `${paths.public}${location.slice(paths.upstream.length)}`
        : `${paths.public}${location}`;
  }
  return result;
}
