import type { CreateCatalogBody, CreateControlBody, CreateScopeSetBody } from "@status/shared";
import { createCatalog } from "@/features/catalogs/api/create-catalog.ts";
import { createControl } from "@/features/controls/api/create-control.ts";
import { createScopeSet } from "@/features/controls/api/create-scope-set.ts";

/** A control the wizard will create, with the scope sets to add to it. */
export interface DraftControl {
  key: string;
  body: CreateControlBody;
  scopeSets: CreateScopeSetBody[];
}

export interface CatalogPlan {
  catalog: CreateCatalogBody;
  controls: DraftControl[];
}

/** What has been created so far; persisting resumes from here after a failure. */
export interface CreatedSoFar {
  catalogId: string | null;
  controlIds: Record<string, string>;
  /** How many of each control's scope sets exist. */
  scopeSetCounts: Record<string, number>;
}

export const NOTHING_CREATED: CreatedSoFar = { catalogId: null, controlIds: {}, scopeSetCounts: {} };

export function hasCreatedAnything(created: CreatedSoFar): boolean {
  return created.catalogId !== null;
}

/** The step that failed, in words, and why. */
export class PlanStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : "The step failed");
  }
}

function describeValues(body: CreateScopeSetBody): string {
  return Object.entries(body.values)
    .map(([name, value]) => `${name} = ${String(value)}`)
    .join(", ");
}

// One wording per step: the review marks the failed step by comparing PlanStepError.step with these labels.
const catalogStep = (catalog: CreateCatalogBody) => `Create catalog “${catalog.name}”`;
const controlStep = (draft: DraftControl) => `Create control “${draft.body.name}”`;
const scopeSetStep = (draft: DraftControl, body: CreateScopeSetBody) =>
  `Add scope set ${describeValues(body)} to “${draft.body.name}”`;

async function step<T>(label: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new PlanStepError(label, error);
  }
}

/**
 * Creates the catalog, then each control, then each control's scope sets, in that order, with the API's own
 * endpoints. `onCreated` reports each success, so a failure leaves an exact record of what exists, and calling this
 * again with that record continues where it stopped.
 */
export async function persistPlan(
  plan: CatalogPlan,
  start: CreatedSoFar,
  onCreated: (created: CreatedSoFar) => void,
): Promise<CreatedSoFar> {
  let created = start;
  const update = (next: CreatedSoFar) => {
    created = next;
    onCreated(next);
  };
  const catalogId = created.catalogId ?? (await step(catalogStep(plan.catalog), () => createCatalog(plan.catalog))).id;
  if (created.catalogId === null) update({ ...created, catalogId });
  for (const draft of plan.controls) {
    const controlId =
      created.controlIds[draft.key] ??
      (await step(controlStep(draft), () => createControl({ catalogId, body: draft.body }))).id;
    if (!created.controlIds[draft.key])
      update({ ...created, controlIds: { ...created.controlIds, [draft.key]: controlId } });
    for (let index = created.scopeSetCounts[draft.key] ?? 0; index < draft.scopeSets.length; index += 1) {
      const body = draft.scopeSets[index]!;
      await step(scopeSetStep(draft, body), () => createScopeSet({ controlId, body }));
      update({ ...created, scopeSetCounts: { ...created.scopeSetCounts, [draft.key]: index + 1 } });
    }
  }
  return created;
}

/** Every step of the plan in order, with whether it is done, for the progress list. */
export function planSteps(plan: CatalogPlan, created: CreatedSoFar): { label: string; isDone: boolean }[] {
  const steps = [{ label: catalogStep(plan.catalog), isDone: created.catalogId !== null }];
  for (const draft of plan.controls) {
    steps.push({ label: controlStep(draft), isDone: draft.key in created.controlIds });
    draft.scopeSets.forEach((body, index) => {
      steps.push({ label: scopeSetStep(draft, body), isDone: index < (created.scopeSetCounts[draft.key] ?? 0) });
    });
  }
  return steps;
}
