import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { RequestHandler } from "express";
import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import { grafanaUnreachable } from "./grafana-fetch.ts";
import { grafanaIdentityHeaders } from "./grafana-identity.ts";
import { createGrafanaActorResolver } from "./grafana-pass.ts";
import { forwardRequest } from "../../http/proxy/forward-request.ts";
import { isSameOrigin, rawResponseHead, tunnelUpgrade } from "../../http/proxy/websocket-tunnel.ts";
import { grafanaRequestHeaders, grafanaResponseHeaders } from "./grafana-proxy-headers.ts";

export interface GrafanaProxy {
  /** The path it is mounted at (GRAFANA_PUBLIC_PATH). */
  publicPath: string;
  handleRequest: RequestHandler;
  /** WebSocket upgrades under the public path (Grafana Live). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * Grafana through the app at GRAFANA_PUBLIC_PATH, for the embedded and development setups without nginx. The STATUS
 * session cookie is checked on every request; Grafana then gets the user's identity in its auth-proxy headers
 * (GF_AUTH_PROXY_ENABLED), so nobody signs in to Grafana a second time. With nginx in front, nginx does the same
 * with auth_request to GET /api/v1/auth/grafana.
 */
export function createGrafanaProxy(deps: AppDeps): GrafanaProxy | undefined {
  const config = deps.config.grafana;
  if (!config.isEnabled) return undefined;
  const target = new URL(config.url);
  const transport = target.protocol === "https:" ? https : http;
  const upstreamBase = target.pathname.replace(/\/$/, "");
  const publicPath = config.publicPath;

  const actorOf = createGrafanaActorResolver(deps);

  function forward(
    req: IncomingMessage,
    path: string,
    identity: Record<string, string>,
    isUpgrade: boolean,
  ): http.ClientRequest {
    return transport.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: `${upstreamBase}${path}`,
      headers: grafanaRequestHeaders(req, identity, isUpgrade),
    });
  }

  const handleRequest: RequestHandler = async (req, res, next) => {
    const actor = await actorOf(req.headers.cookie);
    if (!actor) {
      // Only a page load (asking for HTML first) is sent to sign in; API calls and clients without a preference get
      // 401.
      if (req.method === "GET" && req.accepts(["json", "html"]) === "html")
        return res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      throw new UnauthenticatedError();
    }
    const identity = await grafanaIdentityHeaders(deps, actor);
    forwardRequest(req, res, next, forward(req, req.url, identity, false), {
      responseHeaders: (headers) => grafanaResponseHeaders(headers, { upstream: upstreamBase, public: publicPath }),
      unreachable: (error) => {
        // The same 502 as the API's own Grafana calls, without the socket error's internal address (logged instead).
        deps.log.warn({ err: error }, "grafana proxy: Grafana is unreachable");
        return grafanaUnreachable();
      },
    });
  };

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (!isSameOrigin(req, deps.config.publicUrl)) return void socket.end(rawResponseHead(403, "Forbidden"));
    actorOf(req.headers.cookie)
      .then(async (actor) => {
        if (!actor) return void socket.end(rawResponseHead(401, "Unauthorized"));
        tunnel(req, socket, head, await grafanaIdentityHeaders(deps, actor));
      })
      .catch((error: unknown) => {
        deps.log.error({ err: error }, "grafana proxy: authenticating a WebSocket upgrade failed");
        socket.end(rawResponseHead(500, "Internal Server Error"));
      });
  }

  function tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, identity: Record<string, string>): void {
    const upstream = forward(req, (req.url ?? "/").slice(publicPath.length), identity, true);
    tunnelUpgrade(upstream, socket, head);
  }

  return { publicPath, handleRequest, handleUpgrade };
}
