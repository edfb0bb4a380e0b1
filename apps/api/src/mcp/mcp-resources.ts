import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { IdSchema } from "@status/shared";
import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { parse } from "../http/parse.ts";
import { getCatalog } from "../modules/catalogs/index.ts";
import { getControl } from "../modules/controls/index.ts";
import { listControlStates } from "../modules/overview/index.ts";
import { permit } from "./mcp-access.ts";
import { catalogLinks, controlLinks } from "./mcp-links.ts";

function json(uri: URL, data: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(data, null, 2) }] };
}

/** One template variable as an id: a malformed one is a 400 like a malformed path parameter. */
function idOf(value: string | string[] | undefined): string {
  return parse(IdSchema, Array.isArray(value) ? value[0] : value, "params");
}

/**
 * `status://catalogs/{id}` (the catalog and each control's state) and `status://controls/{id}` (the control), read
 * under the same checks as GET /catalogs/:id and GET /controls/:id. They are not listed (a list across catalogs is
 * what list_catalogs answers); a client reads them by the ids the tools give.
 */
export function registerResources(server: McpServer, deps: AppDeps, actor: Actor): void {
  const { publicUrl } = deps.config;
  server.registerResource(
    "catalog",
    new ResourceTemplate("status://catalogs/{id}", { list: undefined }),
    { description: "A catalog with each control's state (passing, failing, stale…)", mimeType: "application/json" },
    async (uri, variables) => {
      const id = idOf(variables.id);
      permit(actor, "USER", "read", { catalogId: id });
      const [catalog, controlStates] = await Promise.all([getCatalog(deps, id), listControlStates(deps, id)]);
      return json(uri, { ...catalog, controlStates, links: catalogLinks(publicUrl, id) });
    },
  );
  server.registerResource(
    "control",
    new ResourceTemplate("status://controls/{id}", { list: undefined }),
    { description: "A control: its mashup, period, scope sets and status", mimeType: "application/json" },
    async (uri, variables) => {
      const id = idOf(variables.id);
      const control = await getControl(deps, id);
      permit(actor, "USER", "read", { controlId: id, catalogId: control.catalogId });
      return json(uri, { ...control, links: controlLinks(publicUrl, control.catalogId, id) });
    },
  );
}
