import type { RegistrySyncBody, RegistrySyncResult } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, ConflictError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { assertCatalogNotArchived, requireCatalog } from "../catalogs/index.ts";
import { appendPoints, lockChainHeads, type PointInput } from "../points/index.ts";
import { findComputationDigests } from "../evaluation/index.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { getVersionsOfControls } from "../controls/index.ts";
import { controlIdOfGuarantee, metricIdOf, publishedVersions } from "./agreement.ts";
import { listControlsWithScopeSets } from "./agreement-source.repository.ts";
import { findPublication, listSyncablePublications, recordSync, type PublicationRow } from "../publications/index.ts";
import { createRegistryClient, type GuaranteeState, type RegistryClient } from "./registry-client.ts";
import { registryNotConfigured, toRegistryProblem } from "./registry-errors.ts";
import { windowsToSync, type SyncWindow } from "./sync-windows.ts";
import { catalogCalendar } from "../../domain/windows.ts";

const MAX_WINDOWS_PER_SYNC = 100;
const SCHEDULED_CATALOGS_PER_TICK = 50;

/** A point input with the computation id the registry's evidence named, still to be checked against ours. */
type StateInput = PointInput & { computationRef?: string };

/** The current version of a control: the only one the registry's agreement can evaluate windows under. */
interface CurrentTerms {
  threshold: number;
  version: number;
  versionDigest: string;
}

interface SyncContext {
  catalogId: string;
  agreementId: string;
  terms: Map<string, CurrentTerms>;
}

/** The metric value of a state, when it is a percentage the points table can hold. */
function metricValue(state: GuaranteeState, controlId: string): number | null {
  const value = Number(state.metrics[metricIdOf(controlId)]);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? Math.round(value * 1000) / 1000 : null;
}

/** Our computation behind a state: the collector answered its id as the computation's `id` (or `computationGroup`). */
function computationIdOf(state: GuaranteeState): string | undefined {
  const first = state.evidences[0] as { id?: unknown; computationGroup?: unknown } | undefined;
  const id = first?.id ?? first?.computationGroup;
  return typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
}

/** Turns one window's states into point inputs; states that cannot be points are reported, never guessed at. */
/** Why a state cannot be a point of this window, or null when it can. */
function stateProblem(context: SyncContext, window: SyncWindow, state: GuaranteeState, published: Map<string, number>) {
  const controlId = controlIdOfGuarantee(state.id);
  const terms = controlId ? context.terms.get(controlId) : undefined;
  if (state.agreementId !== context.agreementId) return `belongs to agreement ${state.agreementId}`;
  if (!controlId || !terms) return "names no control of this catalog";
  if (Date.parse(state.period.from) !== window.start.getTime() || Date.parse(state.period.to) !== window.end.getTime())
    return `has period ${state.period.from}–${state.period.to}, not the window asked for`;
  if (typeof state.value !== "boolean") return "has no boolean value";
  // The registry evaluates with the agreement it holds; until it holds the control's current version (a publish is
  // pending), its verdict was reached under other terms than the ones that decide the window.
  const inRegistry = published.get(controlId);
  if (inRegistry !== terms.version)
    return `was evaluated under ${inRegistry === undefined ? "an agreement without control versions" : `version ${inRegistry}`} of the control, but version ${terms.version} decides the window (the registry gets it with the next publish)`;
  return null;
}

function toPointInputs(
  context: SyncContext,
  window: SyncWindow,
  states: GuaranteeState[],
  published: Map<string, number>,
  skipped: RegistrySyncResult["skipped"],
): StateInput[] {
  const inputs: StateInput[] = [];
  for (const state of states) {
    const controlId = controlIdOfGuarantee(state.id);
    // The registry computes every guarantee for every period asked; only the controls whose window this is count.
    if (controlId && !window.controlIds.has(controlId) && context.terms.has(controlId)) continue;
    const reason = stateProblem(context, window, state, published);
    if (reason) {
      skipped.push({ guaranteeId: state.id, reason: `The state ${reason}` });
      continue;
    }
    const terms = context.terms.get(controlId!)!;
    inputs.push({
      controlId: controlId!,
      catalogId: context.catalogId,
      scope: state.scope,
      scopeKey: canonicalJson(state.scope),
      windowStart: window.start.toISOString(),
      windowEnd: window.end.toISOString(),
      value: metricValue(state, controlId!),
      threshold: terms.threshold,
      result: state.value ? "pass" : "fail",
      computationId: null,
      evidenceDigest: null,
      controlVersion: terms.version,
      versionDigest: terms.versionDigest,
      computationRef: computationIdOf(state),
    });
  }
  return inputs;
}

/**
 * Stores registry states as points, once each: under the chain locks, the points module appends the states whose
 * (control, scope, window) has no registry point yet to their control's hash chain, as it does engine points.
 */
async function storeRegistryPoints(deps: AppDeps, inputs: StateInput[]): Promise<{ stored: number; existing: number }> {
  if (inputs.length === 0) return { stored: 0, existing: 0 };
  const computations = await findComputationDigests(
    deps,
    inputs.flatMap((input) => (input.computationRef ? [input.computationRef] : [])),
  );
  const pointInputs = inputs.map(({ computationRef, ...input }): PointInput => {
    const computation = computationRef ? computations.get(computationRef) : undefined;
    // Evidence computed under another version of the control is not this point's evidence.
    if (computation?.controlId !== input.controlId || computation.controlVersion !== input.controlVersion) return input;
    // Our collector answers 0 for a window with no applicable evidence, so the registry's objective says false;
    // the computation behind it knows better, and the point says not_applicable as the engine's would.
    const verdict = computation.result === "not_applicable" ? { result: "not_applicable" as const, value: null } : {};
    return { ...input, computationId: computationRef!, evidenceDigest: computation.evidenceDigest, ...verdict };
  });
  const outcome = await withTransaction(deps.db, async (tx) => {
    const heads = await lockChainHeads(tx, [...new Set(pointInputs.map((input) => input.controlId))].sort());
    const { appendedCount } = await appendPoints(tx, heads, pointInputs, "registry");
    return { stored: appendedCount, existing: pointInputs.length - appendedCount };
  });
  if (outcome.stored > 0) deps.metrics.pointsWritten.inc({ source: "registry" }, outcome.stored);
  return outcome;
}

/**
 * Asks the registry for each window in turn, then stores every window's points in one transaction: the database work
 * is the same handful of round trips whatever the window count, and a failed request stores nothing (a retry asks
 * the registry for every window again anyway).
 */
async function syncWindows(
  deps: AppDeps,
  registry: RegistryClient,
  token: string,
  context: SyncContext,
  windows: SyncWindow[],
): Promise<RegistrySyncResult> {
  const skipped: RegistrySyncResult["skipped"] = [];
  const inputs: StateInput[] = [];
  const published =
    windows.length > 0
      ? publishedVersions(await registry.getAgreement(context.agreementId))
      : new Map<string, number>();
  for (const window of windows) {
    const states = await registry.getGuaranteeStates(
      context.agreementId,
      { from: window.start.toISOString(), to: window.end.toISOString() },
      token,
    );
    inputs.push(...toPointInputs(context, window, states, published, skipped));
  }
  const stored = await storeRegistryPoints(deps, inputs);
  return {
    catalogId: context.catalogId,
    agreementId: context.agreementId,
    windows: windows.map((window) => ({ from: window.start.toISOString(), to: window.end.toISOString() })),
    stateCount: inputs.length,
    storedCount: stored.stored,
    existingCount: stored.existing,
    skipped,
  };
}

/** The windows to ask for; the scheduled job passes the publication it listed, so it is not read again. */
async function loadSyncPlan(deps: AppDeps, catalogId: string, range: { from: Date; to: Date }, known?: PublicationRow) {
  const catalog = await requireCatalog(deps.db, catalogId);
  // An archived catalog records nothing more, from the registry either.
  assertCatalogNotArchived(catalog);
  const publication = known ?? (await findPublication(deps.db, catalogId));
  if (catalog.status !== "finalized" || !publication?.publishedHash) {
    throw new ConflictError(
      "registry_not_published",
      "The catalog's agreement is not in the registry yet; finalize it and wait for it to be published",
    );
  }
  const controls = await listControlsWithScopeSets(deps.db, catalogId);
  const history = await getVersionsOfControls(
    deps.db,
    controls.map((control) => control.id),
  );
  const terms = new Map<string, CurrentTerms>();
  for (const control of controls) {
    const current = history.get(control.id)?.versions.find((version) => version.version === control.version);
    if (current)
      terms.set(control.id, {
        threshold: Number(current.threshold),
        version: current.version,
        versionDigest: current.digest,
      });
  }
  const planned = windowsToSync({
    // The registry holds only the current version's terms: only windows that version decides are asked for.
    controls: controls.map((control) => ({
      ...control,
      startDate: latestOf(control.startDate, history.get(control.id)),
    })),
    catalogStart: catalog.startDate!,
    catalogEnd: catalog.endDate,
    timeZone: catalogCalendar(catalog),
    from: range.from,
    to: range.to,
    now: deps.now(),
    limit: MAX_WINDOWS_PER_SYNC,
  });
  const context: SyncContext = { catalogId, agreementId: publication.agreementId, terms };
  return { context, ...planned };
}

/** The later of a control's own start and its current version's first window. */
function latestOf(
  startDate: string | null,
  history: { versions: { effectiveFrom: string | null }[] } | undefined,
): string | null {
  const effectiveFrom = history?.versions.at(-1)?.effectiveFrom ?? null;
  if (!effectiveFrom) return startDate;
  if (!startDate) return effectiveFrom;
  return Date.parse(effectiveFrom) > Date.parse(startDate) ? effectiveFrom : startDate;
}

function registryAccess(deps: AppDeps): { registry: RegistryClient; token: string } {
  const { url, collectorToken, timeoutMs } = deps.config.registry;
  if (!url) throw registryNotConfigured("Set REGISTRY_URL to sync from the registry");
  if (!collectorToken)
    throw registryNotConfigured("Set REGISTRY_COLLECTOR_TOKEN: the registry needs a credential to call the collector");
  return { registry: createRegistryClient({ baseUrl: url, timeoutMs }), token: collectorToken };
}

/**
 * `POST /catalogs/:id/registry/sync`: asks the registry for the guarantee states of every window of the catalog's
 * controls that closed within (from, to] — one request per distinct window, as the registry evaluates one period per
 * request — and stores them as points with source `registry`. Repeating a sync stores nothing twice.
 */
export async function syncCatalogFromRegistry(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  body: RegistrySyncBody,
): Promise<RegistrySyncResult> {
  const { registry, token } = registryAccess(deps);
  const plan = await loadSyncPlan(deps, catalogId, { from: new Date(body.from), to: new Date(body.to) });
  if (plan.isTruncated)
    throw new AppError(
      400,
      "too_many_windows",
      "Too many windows",
      `At most ${MAX_WINDOWS_PER_SYNC} windows per sync; narrow from/to`,
    );
  let result: RegistrySyncResult;
  try {
    result = await syncWindows(deps, registry, token, plan.context, plan.windows);
  } catch (error) {
    await recordSync(deps.db, catalogId, { error: (error as Error).message });
    throw toRegistryProblem(error);
  }
  await withTransaction(deps.db, async (tx) => {
    await recordSync(tx, catalogId, { error: null });
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "registry_sync",
      resourceId: catalogId,
      after: {
        ...body,
        windows: result.windows.length,
        storedCount: result.storedCount,
        existingCount: result.existingCount,
      },
    });
  });
  return result;
}

/**
 * The scheduled job (an engine tick): for every published catalog, pulls the windows that closed since its cursor
 * (at first, since the agreement was first published) and moves the cursor. A failure is recorded on the
 * publication and the same windows are tried on the next tick.
 */
export async function syncClosedWindows(deps: AppDeps): Promise<number> {
  if (!deps.config.registry.url || !deps.config.registry.collectorToken) return 0;
  const { registry, token } = registryAccess(deps);
  let stored = 0;
  for (const publication of await listSyncablePublications(deps.db, SCHEDULED_CATALOGS_PER_TICK)) {
    const from = new Date(publication.syncedThrough ?? publication.publishedAt ?? deps.now());
    try {
      const plan = await loadSyncPlan(deps, publication.catalogId, { from, to: deps.now() }, publication);
      const result = await syncWindows(deps, registry, token, plan.context, plan.windows);
      stored += result.storedCount;
      await withTransaction(deps.db, async (tx) => {
        await recordSync(tx, publication.catalogId, { error: null, syncedThrough: plan.coveredThrough.toISOString() });
        if (result.storedCount > 0)
          await recordAudit(tx, null, {
            action: "create",
            resourceType: "registry_sync",
            resourceId: publication.catalogId,
            after: { scheduled: true, windows: result.windows.length, storedCount: result.storedCount },
          });
      });
    } catch (error) {
      await recordSync(deps.db, publication.catalogId, { error: (error as Error).message });
      deps.log.warn({ catalogId: publication.catalogId, err: error }, "scheduled registry sync failed; will retry");
    }
  }
  return stored;
}
