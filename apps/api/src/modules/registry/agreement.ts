import type { Period } from "@status/shared";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { sha256Hex } from "../../lib/sha256.ts";

/**
 * The iAgree agreement ("TPA") STATUS publishes for a catalog, in the inline form governify/registry develop stores
 * as-is (it resolves no `$ref`). Only the fields the registry reads are written.
 */
export interface Agreement {
  id: string;
  version: string;
  type: "agreement";
  context: {
    validity: { initial: string; timeZone: string };
    definitions: { schemas: Record<string, never>; scopes: Record<string, Record<string, ScopeDefinition>> };
  };
  terms: { metrics: Record<string, Metric>; guarantees: Guarantee[] };
}

export interface ScopeDefinition {
  name: string;
  description: string;
  type: string;
  default: unknown;
}

interface Metric {
  collector: {
    type: "POST-GET-V1-STATUS";
    infrastructurePath: string;
    endpoint: string;
    config: { backendUrl: string };
  };
  measure: { endpoint: string; params: Record<string, unknown>; scope: Record<string, never> };
}

interface Guarantee {
  id: string;
  description: string;
  scope: Record<string, ScopeDefinition>;
  of: {
    scope: Record<string, unknown>;
    objective: string;
    with: Record<string, Record<string, never>>;
    window: { type: "static"; period: RegistryPeriod; initial: string };
  }[];
}

/** The registry's period names (governify/commons periods.js). It has no `annually`: the year is `yearly`. */
export type RegistryPeriod = "hourly" | "daily" | "weekly" | "monthly" | "yearly";
export const REGISTRY_PERIODS: Record<Period, RegistryPeriod> = {
  HOURLY: "hourly",
  DAILY: "daily",
  WEEKLY: "weekly",
  MONTHLY: "monthly",
  ANNUALLY: "yearly",
};

/**
 * The key of `infrastructure.yaml` under which the registry finds the STATUS backend (as in the STATUS compose file).
 */
export const COLLECTOR_INFRASTRUCTURE_PATH = "status-backend";
const COLLECTOR_ENDPOINT = "/api/v1/computations";

export interface AgreementSource {
  catalog: { id: string; startDate: string; timeZone: string };
  controls: {
    id: string;
    name: string;
    /** The control version whose terms these are (null for a draft, which is never published). */
    version: number | null;
    period: Period;
    threshold: number;
    startDate: string | null;
    params: Record<string, unknown>;
    /** The values of each scope set; none means the control is evaluated once, for the empty scope. */
    scopeSets: Record<string, unknown>[];
  }[];
  /** Definitions of the scopes the scope sets use, by name. */
  scopes: Map<string, { description: string; type: string; defaultValue: unknown }>;
  /** The API's base URL as the registry reaches it, e.g. `https://status.example/api/v1`. */
  publicApiUrl: string;
}

export function agreementIdOf(catalogId: string): string {
  return `tpa-${catalogId}`;
}

/**
 * Guarantee and metric ids come from the control's id, never from its name: the registry evaluates objectives as
 * JavaScript in its own global context, so nothing a user typed may reach an objective.
 */
export function guaranteeIdOf(controlId: string): string {
  return `CONTROL_${controlId.replace(/-/g, "").toLowerCase()}`;
}

export function metricIdOf(controlId: string): string {
  return `${guaranteeIdOf(controlId)}_METRIC`;
}

/** The control behind a guarantee id we wrote; undefined for anything else. */
export function controlIdOfGuarantee(guaranteeId: string): string | undefined {
  const hex = /^CONTROL_([0-9a-f]{32})$/.exec(guaranteeId)?.[1];
  if (!hex) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function dateOnly(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** `CONTROL_…_METRIC >= 95`: the threshold is a number we format, so the objective is always this one comparison. */
function objectiveOf(controlId: string, threshold: number): string {
  const value = Number(threshold);
  if (!Number.isFinite(value)) throw new Error(`control ${controlId} has a non-numeric threshold`);
  return `${metricIdOf(controlId)} >= ${value}`;
}

function scopeDefinition(name: string, source: AgreementSource): ScopeDefinition {
  const scope = source.scopes.get(name);
  return { name, description: scope?.description ?? "", type: scope?.type ?? "string", default: "*" };
}

/** Builds the agreement of a catalog: a metric and a guarantee per control, an `of` entry per scope set. */
export function buildAgreement(source: AgreementSource): Agreement {
  const controls = [...source.controls].sort((a, b) => a.id.localeCompare(b.id));
  const metrics: Record<string, Metric> = {};
  const guarantees: Guarantee[] = [];
  const usedScopes = new Set<string>();
  for (const control of controls) {
    const metricId = metricIdOf(control.id);
    metrics[metricId] = {
      collector: {
        type: "POST-GET-V1-STATUS",
        infrastructurePath: COLLECTOR_INFRASTRUCTURE_PATH,
        endpoint: COLLECTOR_ENDPOINT,
        config: { backendUrl: `${source.publicApiUrl}/computations/bulk` },
      },
      // Our collector finds the control by `params.controlId`; the control's own inputs travel with it, and
      // `controlVersion` says which version of the control these terms are (a sync reads it: publishedVersions).
      measure: {
        endpoint: COLLECTOR_ENDPOINT,
        params: { ...control.params, controlId: control.id, controlVersion: control.version },
        scope: {},
      },
    };
    const scopeSets =
      control.scopeSets.length > 0
        ? [...control.scopeSets].sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)))
        : [{}];
    const keys = [...new Set(scopeSets.flatMap((values) => Object.keys(values)))].sort();
    keys.forEach((key) => usedScopes.add(key));
    guarantees.push({
      id: guaranteeIdOf(control.id),
      description: control.name,
      scope: Object.fromEntries(keys.map((key) => [key, scopeDefinition(key, source)])),
      of: scopeSets.map((values) => ({
        scope: values,
        objective: objectiveOf(control.id, control.threshold),
        with: { [metricId]: {} },
        window: {
          type: "static" as const,
          period: REGISTRY_PERIODS[control.period],
          initial: dateOnly(control.startDate ?? source.catalog.startDate),
        },
      })),
    });
  }
  return {
    id: agreementIdOf(source.catalog.id),
    version: "1.0.0",
    type: "agreement",
    context: {
      validity: { initial: dateOnly(source.catalog.startDate), timeZone: source.catalog.timeZone },
      definitions: {
        schemas: {},
        scopes: {
          status: Object.fromEntries([...usedScopes].sort().map((name) => [name, scopeDefinition(name, source)])),
        },
      },
    },
    terms: { metrics, guarantees },
  };
}

/** A stable digest of an agreement (key order does not matter), to tell a changed catalog from an unchanged one. */
export function agreementHash(agreement: unknown): string {
  return sha256Hex(canonicalJson(agreement));
}

/** The agreement as the registry stores it, without the storage fields MongoDB adds, for comparing. */
export function withoutStorageFields(stored: Record<string, unknown>): Record<string, unknown> {
  const { _id: _ignoredId, __v: _ignoredVersion, ...agreement } = stored;
  return agreement;
}

/**
 * The control version each control's terms carry in an agreement as the registry stores it (`measure.params
 * .controlVersion` of its metric); absent for agreements published before versions existed.
 */
export function publishedVersions(stored: Record<string, unknown> | null): Map<string, number> {
  const metrics = (
    stored as { terms?: { metrics?: Record<string, { measure?: { params?: Record<string, unknown> } }> } }
  )?.terms?.metrics;
  const versions = new Map<string, number>();
  for (const metric of Object.values(metrics ?? {})) {
    const params = metric?.measure?.params;
    if (typeof params?.controlId === "string" && typeof params.controlVersion === "number")
      versions.set(params.controlId, params.controlVersion);
  }
  return versions;
}
