import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  CatalogListQuerySchema,
  ComputationListQuerySchema,
  CreateRunsBodySchema,
  FailuresQuerySchema,
  IdSchema,
  IsoDateTimeSchema,
  KnowledgeSearchQuerySchema,
  RegistryComplianceQuerySchema,
} from "@status/shared";
import { z } from "zod";
import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { AppError } from "../errors.ts";
import { parse } from "../http/parse.ts";
import { searchAssistantKnowledge } from "../modules/assistants/index.ts";
import { getCatalog, listAllCatalogs } from "../modules/catalogs/index.ts";
import { getComputationDetail, listControlComputations, runControl } from "../modules/evaluation/index.ts";
import { getControl } from "../modules/controls/index.ts";
import { listFailures } from "../modules/overview/index.ts";
import { verifyPointChain } from "../modules/points/index.ts";
import { getRegistryCompliance } from "../modules/registry/index.ts";
import { permit } from "./mcp-access.ts";
import { catalogLinks, controlLinks } from "./mcp-links.ts";

/**
 * A tool's answer: the data as structured content, and as text (a one-line summary and the JSON) for clients that
 * show text only.
 */
function answer(summary: string, data: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text: `${summary}\n\n${JSON.stringify(data, null, 2)}` }],
    structuredContent: data,
  };
}

/**
 * Runs a tool body; a refusal or a bad input (an AppError: 403 of a role or token scope, 404, 400) becomes an MCP
 * error result with the problem's code, which the agent can read and act on, rather than a protocol error.
 */
async function tool(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problem = { status: error.status, code: error.code, title: error.title, detail: error.message };
    const issues = error.issues?.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    return {
      isError: true,
      content: [{ type: "text", text: `${error.code}: ${error.message}${issues ? ` (${issues})` : ""}` }],
      structuredContent: { problem },
    };
  }
}

const idInput = (what: string) => IdSchema.describe(`The ${what}'s id (a UUID)`);
const periodInput = {
  from: IsoDateTimeSchema.optional().describe("Start of the period (ISO 8601)"),
  to: IsoDateTimeSchema.optional().describe("End of the period (ISO 8601)"),
};

/**
 * The tools, each calling the service its REST route calls, as the token's actor, under the route's checks. A tool
 * naming a control reads it first, so a token limited to the control's catalog reaches it (as REST resolves it).
 */
export function registerTools(server: McpServer, deps: AppDeps, actor: Actor): void {
  const { publicUrl } = deps.config;

  server.registerTool(
    "list_catalogs",
    {
      description: "List the compliance catalogs (name, status, period), with links to each in STATUS.",
      inputSchema: {
        q: z.string().max(200).optional().describe("Words in the catalog's name"),
        pageSize: z.number().int().min(1).max(100).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    (input) =>
      tool(async () => {
        permit(actor, "USER", "read");
        const page = await listAllCatalogs(deps, parse(CatalogListQuerySchema, input, "query"));
        const items = page.items.map((catalog) => ({ ...catalog, links: catalogLinks(publicUrl, catalog.id) }));
        return answer(`${page.total} catalog(s)`, { ...page, items });
      }),
  );

  server.registerTool(
    "catalog_compliance",
    {
      description:
        "A catalog's compliance over a period (default: all time): the summary (percent of passing points) and each control's.",
      inputSchema: { catalogId: idInput("catalog"), ...periodInput },
      annotations: { readOnlyHint: true },
    },
    ({ catalogId, from, to }) =>
      tool(async () => {
        permit(actor, "USER", "read", { catalogId });
        const query = parse(RegistryComplianceQuerySchema, { catalog_id: catalogId, from, to }, "query");
        const [catalog, compliance] = await Promise.all([
          getCatalog(deps, catalogId),
          getRegistryCompliance(deps, query),
        ]);
        const items = compliance.items.map((control) => ({
          ...control,
          links: controlLinks(publicUrl, catalogId, control.controlId),
        }));
        const percent = compliance.summary.compliance;
        return answer(
          `${catalog.name}: ${percent === null ? "no applicable points" : `${percent.toFixed(1)}% compliant`}`,
          { ...compliance, items, catalogName: catalog.name, links: catalogLinks(publicUrl, catalogId) },
        );
      }),
  );

  server.registerTool(
    "failing_controls",
    {
      description:
        "Controls with a failing window in a period (default: the last 30 days), newest failure first, optionally of one catalog.",
      inputSchema: { catalogId: idInput("catalog").optional(), ...periodInput },
      annotations: { readOnlyHint: true },
    },
    ({ catalogId, from, to }) =>
      tool(async () => {
        permit(actor, "USER", "read", catalogId ? { catalogId } : undefined);
        const failures = await listFailures(deps, parse(FailuresQuerySchema, { catalogId, from, to }, "query"));
        const items = failures.items.map((failed) => ({
          ...failed,
          links: controlLinks(publicUrl, failed.catalogId, failed.controlId),
        }));
        return answer(`${failures.total} failing control(s)`, { ...failures, items });
      }),
  );

  server.registerTool(
    "control_evidence",
    {
      description:
        "A control's latest computations, newest window first, with the evidences of the newest one (each check and its result).",
      inputSchema: {
        controlId: idInput("control"),
        limit: z.number().int().min(1).max(50).optional().describe("How many computations (default 5)"),
      },
      annotations: { readOnlyHint: true },
    },
    ({ controlId, limit }) =>
      tool(async () => {
        const control = await getControl(deps, controlId);
        permit(actor, "USER", "read", { controlId, catalogId: control.catalogId });
        const query = parse(ComputationListQuerySchema, { pageSize: limit ?? 5 }, "query");
        const computations = await listControlComputations(deps, controlId, query);
        const newest = computations.items[0];
        const detail = newest ? await getComputationDetail(deps, newest.id) : undefined;
        const evidences = detail && "evidences" in detail ? detail.evidences : [];
        return answer(
          `${control.name}: ${computations.total} computation(s), ${evidences.length} evidence(s) in the newest`,
          {
            control: { id: control.id, name: control.name, catalogId: control.catalogId },
            computations: computations.items,
            newestEvidences: evidences,
            links: controlLinks(publicUrl, control.catalogId, control.id),
          },
        );
      }),
  );

  server.registerTool(
    "verify_chain",
    {
      description: "Check a control's hash chain of points and the evidence behind them: intact, or where it breaks.",
      inputSchema: { controlId: idInput("control") },
      annotations: { readOnlyHint: true },
    },
    ({ controlId }) =>
      tool(async () => {
        const control = await getControl(deps, controlId);
        permit(actor, "USER", "read", { controlId, catalogId: control.catalogId });
        const verification = await verifyPointChain(deps, controlId);
        return answer(
          verification.isIntact
            ? `The chain of ${verification.pointCount} point(s) is intact`
            : `The chain is broken: ${verification.problem ?? "see firstBrokenPointId"}`,
          { ...verification, links: controlLinks(publicUrl, control.catalogId, controlId) },
        );
      }),
  );

  server.registerTool(
    "run_control",
    {
      description:
        "Run a control now (the latest closed window, or every window overlapping from–to). Needs the runs:write scope.",
      inputSchema: { controlId: idInput("control"), ...periodInput },
    },
    ({ controlId, from, to }) =>
      tool(async () => {
        const control = await getControl(deps, controlId);
        permit(actor, "USER", "runs:write", { controlId, catalogId: control.catalogId });
        const body = parse(CreateRunsBodySchema, { from, to }, "body");
        const created = await runControl(deps, actor, controlId, body);
        return answer(`${created.runs.length} run(s) queued for ${control.name}`, {
          ...created,
          links: {
            ...controlLinks(publicUrl, control.catalogId, controlId),
            batch: `${publicUrl}/api/v1/run-batches/${created.batch.id}`,
          },
        });
      }),
  );

  server.registerTool(
    "search_knowledge",
    {
      description: "Full-text search in an AI assistant's knowledge base (its documents' passages), best first.",
      inputSchema: {
        assistantId: idInput("assistant"),
        q: z.string().min(1).max(200).describe("The words to look for"),
        limit: z.number().int().min(1).max(50).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    ({ assistantId, q, limit }) =>
      tool(async () => {
        permit(actor, "USER", "read");
        const query = parse(KnowledgeSearchQuerySchema, { q, limit }, "query");
        const items = await searchAssistantKnowledge(deps, actor, assistantId, query);
        return answer(`${items.length} passage(s)`, {
          items,
          links: { api: `${publicUrl}/api/v1/assistants/${assistantId}/knowledge?q=${encodeURIComponent(q)}` },
        });
      }),
  );
}
