import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { API_VERSION } from "../modules/health/index.ts";
import { registerResources } from "./mcp-resources.ts";
import { registerTools } from "./mcp-tools.ts";

/**
 * The STATUS MCP server for one authenticated actor: every tool and resource acts as that actor, with its role and
 * its token's scopes and limits. Built per request (stateless), so no state outlives the request that made it.
 */
export function createStatusMcpServer(deps: AppDeps, actor: Actor): McpServer {
  const server = new McpServer(
    { name: "status", title: "STATUS continuous compliance", version: API_VERSION },
    {
      instructions:
        "STATUS monitors compliance controls. Start with list_catalogs, then catalog_compliance or failing_controls; " +
        "control_evidence and verify_chain explain one control. Links point to the STATUS web app and API.",
    },
  );
  registerTools(server, deps, actor);
  registerResources(server, deps, actor);
  return server;
}
