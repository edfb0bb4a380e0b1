const LOGIN_PATH = "/login";

/** `/login?next=<path>` so that signing in returns to the page the user asked for. */
export function buildLoginPath(next?: string): string {
  if (!next || next === "/" || next.startsWith(LOGIN_PATH)) return LOGIN_PATH;
  return `${LOGIN_PATH}?${new URLSearchParams({ next }).toString()}`;
}

/** Only same-origin paths are followed after sign-in; anything else (`//evil.test`, `https:…`) goes home. */
export function safeNextPath(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw.startsWith(LOGIN_PATH)) return "/";
  return raw;
}

// Paths the API serves itself (the Node-RED editor and Grafana behind their proxies, API redirects): the SPA's router
// cannot show them.
const SERVER_PATHS = ["/node-red", "/grafana", "/api/"];

/** True when `path` must be loaded from the server rather than routed inside the SPA. */
export function isServerPath(path: string): boolean {
  return SERVER_PATHS.some(
    (prefix) => path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`),
  );
}
