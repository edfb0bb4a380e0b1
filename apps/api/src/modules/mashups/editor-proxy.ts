import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { RequestHandler } from "express";
import { hasRole } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { ForbiddenError, ServiceUnavailableError, UnauthenticatedError } from "../../errors.ts";
import { createEditorActorResolver } from "../auth/index.ts";
import { forwardRequest } from "../../http/proxy/forward-request.ts";
import { isSameOrigin, rawResponseHead, tunnelUpgrade } from "../../http/proxy/websocket-tunnel.ts";
import { EDITOR_PATH } from "../../node-red/editor-path.ts";
import { downstreamResponseHeaders, upstreamPath, upstreamRequestHeaders } from "./editor-proxy-headers.ts";

export interface EditorProxy {
  /** Mounted at /node-red: the editor's pages and admin API calls. */
  handleRequest: RequestHandler;
  /** The server's `upgrade` listener: the editor's /comms WebSocket (anything else is refused). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

type Access = "allowed" | "anonymous" | "forbidden";

/**
 * The Node-RED editor through the app at /node-red/, for DEVELOPER and ADMIN sessions. Every request is checked
 * against the STATUS session (its access cookie, or the editor pass of the hand-off, see auth/editor-pass.ts), then
 * forwarded without the prefix and without the user's STATUS credentials.
 * Node-RED itself still demands its own bearer token (handed over by GET /api/v1/mashups/editor), which a
 * cross-site page cannot attach: that, not a CSRF header, is what protects the unsafe editor calls.
 */
export function createEditorProxy(deps: AppDeps): EditorProxy {
  const actorOf = createEditorActorResolver(deps);
  const target = new URL(deps.nodeRed.baseUrl);
  const transport = target.protocol === "https:" ? https : http;
  const basePath = target.pathname.replace(/\/$/, "");

  // The session's access cookie, else the editor pass of the hand-off (the access token may have expired meanwhile).
  async function accessOf(cookieHeader: string | undefined): Promise<Access> {
    const actor = await actorOf(cookieHeader);
    if (!actor) return "anonymous";
    return hasRole(actor.role, "DEVELOPER") ? "allowed" : "forbidden";
  }

  function forward(req: IncomingMessage, isUpgrade: boolean): http.ClientRequest {
    return transport.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: upstreamPath(basePath, req.url ?? "/"),
      headers: upstreamRequestHeaders(req, { upstreamHost: target.host, prefix: EDITOR_PATH, isUpgrade }),
    });
  }

  const handleRequest: RequestHandler = async (req, res, next) => {
    const access = await accessOf(req.headers.cookie);
    if (access === "anonymous") {
      if (req.method === "GET" && req.accepts(["html", "json"]) === "html")
        return res.redirect(302, `/login?next=${encodeURIComponent(`${EDITOR_PATH}/`)}`);
      throw new UnauthenticatedError();
    }
    if (access === "forbidden") throw new ForbiddenError("The Node-RED editor is for developers and administrators");
    // Nobody signs in to Node-RED itself: password guesses would also lock the service account out for ten minutes.
    if (req.path === "/auth/token")
      throw new ForbiddenError(
        "Open the editor from STATUS (GET /api/v1/mashups/editor); Node-RED's own sign-in is not used",
      );
    // The editor loads its files by relative URLs, which resolve under /node-red/ only with the trailing slash.
    if (req.originalUrl === EDITOR_PATH || req.originalUrl.startsWith(`${EDITOR_PATH}?`))
      return res.redirect(301, `${EDITOR_PATH}/${req.originalUrl.slice(EDITOR_PATH.length)}`);

    forwardRequest(req, res, next, forward(req, false), {
      responseHeaders: (headers) => downstreamResponseHeaders(headers, EDITOR_PATH),
      unreachable: (error) =>
        new ServiceUnavailableError("service_unavailable", `Node-RED is unreachable: ${error.message}`),
    });
  };

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (!(req.url ?? "/").startsWith(`${EDITOR_PATH}/`)) return void socket.end(rawResponseHead(404, "Not Found"));
    if (!isSameOrigin(req, deps.config.publicUrl)) return void socket.end(rawResponseHead(403, "Forbidden"));
    accessOf(req.headers.cookie).then(
      (access) => {
        if (access === "allowed") return tunnel(req, socket, head);
        socket.end(
          rawResponseHead(access === "anonymous" ? 401 : 403, access === "anonymous" ? "Unauthorized" : "Forbidden"),
        );
      },
      (error: unknown) => {
        deps.log.error({ err: error }, "editor proxy: authenticating a WebSocket upgrade failed");
        socket.end(rawResponseHead(500, "Internal Server Error"));
      },
    );
  }

  function tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    req.url = (req.url ?? "/").slice(EDITOR_PATH.length);
    const upstream = forward(req, true);
    tunnelUpgrade(upstream, socket, head);
  }

  return { handleRequest, handleUpgrade };
}
