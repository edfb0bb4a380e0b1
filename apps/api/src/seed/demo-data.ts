import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { createAssistant } from "../modules/assistants/index.ts";
import { createCatalog, listAllCatalogs, updateCatalog } from "../modules/catalogs/index.ts";
import { createControl } from "../modules/controls/index.ts";
import { createScopeSet, createScope, listAllScopes } from "../modules/scopes/index.ts";

/**
 * Demo content for a new installation: scope dimensions and a draft catalog of typical controls, so the first
 * screen is not empty. Written through the services (audited like any change) and only into an empty database.
 */
export async function seedDemoData(deps: AppDeps, actor: Actor): Promise<boolean> {
  const [catalogs, scopes] = await Promise.all([
    listAllCatalogs(deps, { page: 1, pageSize: 1, sort: "name", archived: "all" }),
    listAllScopes(deps, { page: 1, pageSize: 1, sort: "name" }),
  ]);
  if (catalogs.total > 0 || scopes.total > 0) return false;

  await createScope(deps, actor, {
    name: "repository",
    description: "A source repository",
    type: "string",
    defaultValue: "*",
    allowedValues: null,
  });
  await createScope(deps, actor, {
    name: "team",
    description: "An engineering team",
    type: "string",
    defaultValue: null,
    allowedValues: ["payments", "platform", "mobile"],
  });
  await createScope(deps, actor, {
    name: "environment",
    description: "Deployment environment",
    type: "string",
    defaultValue: "production",
    allowedValues: ["production", "staging"],
  });

  const catalog = await createCatalog(deps, actor, {
    name: "Engineering baseline (demo)",
    description:
      "Sample controls over repository activity, access reviews and backups, computed by the example mashups of the embedded Node-RED from the sample data in apps/nodered/sample-data.",
    startDate: "2026-01-01T00:00:00Z",
    endDate: null,
    timeZone: "UTC",
    firstDayOfWeek: 1,
  });
  // The mashup ids are the example flows' tab ids (apps/nodered/flows/examples.json), installed with Node-RED.
  const controls: {
    name: string;
    description: string;
    period: "WEEKLY" | "MONTHLY" | "DAILY";
    threshold: number;
    scope: Record<string, string>;
    mashupId: string;
    params: Record<string, unknown>;
  }[] = [
    {
      name: "Pull requests are reviewed",
      description: "Every merged pull request has at least one approving review.",
      period: "WEEKLY",
      threshold: 95,
      scope: { team: "payments", repository: "*" },
      mashupId: "pull-requests-reviewed",
      params: { minApprovals: 1 },
    },
    {
      name: "Privileged access reviewed",
      description: "Each privileged account was reviewed within the last 90 days.",
      period: "MONTHLY",
      threshold: 100,
      scope: { team: "platform" },
      mashupId: "privileged-access-reviewed",
      params: { maxReviewAgeDays: 90 },
    },
    {
      name: "Nightly backups succeed",
      description: "Every nightly backup job finished successfully.",
      period: "DAILY",
      threshold: 99,
      scope: { environment: "production" },
      mashupId: "nightly-backups-succeeded",
      params: { acceptPartial: false },
    },
  ];
  for (const item of controls) {
    const control = await createControl(deps, actor, catalog.id, {
      name: item.name,
      description: item.description,
      period: item.period,
      startDate: null,
      endDate: null,
      mashupId: item.mashupId,
      params: item.params,
      threshold: item.threshold,
      staleGraceMinutes: null,
    });
    await createScopeSet(deps, actor, control.id, { values: item.scope });
  }
  // Finalized, so the scheduler computes every closed window since the start date on the first start.
  await updateCatalog(deps, actor, catalog.id, { status: "finalized" });
  // It answers once an administrator has set an API key (or OPENAI_API_KEY / OPENAI_BASE_URL are set).
  await createAssistant(deps, actor, {
    name: "Compliance assistant (demo)",
    description: "Answers questions about failing controls, evidence and compliance, citing the data it used.",
    instructions:
      "You help compliance officers understand the results of their controls. Answer briefly, explain why a control failed from its evidence, and say what to check next.",
    model: null,
    tools: [
      "list_failing_controls",
      "get_control_evidence",
      "get_catalog_compliance",
      "explain_control_flow",
      "draft_node_red_flow",
      "search_knowledge_base",
    ],
    isEnabled: true,
  });
  return true;
}
