import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RequestHandler } from "express";
import type { AppDeps } from "../deps.ts";
import { AppError, UnauthenticatedError } from "../errors.ts";
import type { Authenticate } from "../http/route.ts";
import { createStatusMcpServer } from "./mcp-server.ts";

/** Where the MCP server answers, under /api/v1. */
export const MCP_PATH = "/mcp";

/**
 * The MCP Streamable HTTP endpoint, stateless: each POST carries its JSON-RPC messages and a personal API token as
 * Bearer, and is answered by a server built for that token's actor. A session's token is refused: MCP clients are
 * integrations, and a personal token can be scoped and revoked on its own. Only POST is served (no server-initiated
 * stream without sessions).
 */
export function mcpEndpoint(deps: AppDeps, authenticate: Authenticate): RequestHandler {
  return async (req, res) => {
    if (req.method !== "POST") {
      throw new AppError(
        405,
        "method_not_allowed",
        "Method not allowed",
        `${req.method} is not served here; use POST`,
        undefined,
        {
          Allow: "POST",
        },
      );
    }
    const authentication = await authenticate(req);
    if (!authentication) throw new UnauthenticatedError();
    if (authentication.actor.authMethod !== "api_token") {
      throw new UnauthenticatedError(
        "token_invalid",
        "The MCP server takes a personal API token: 'Authorization: Bearer stt_…'",
      );
    }
    const actor = { ...authentication.actor, requestId: res.locals.requestId as string };
    const server = createStatusMcpServer(deps, actor);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };
}
