import type { ComplianceResult, EvidenceResult } from "@status/shared";
import { namedStatement, type Queryable } from "../../../db/database.ts";
import type { NormalizedEvidence } from "../../../domain/evaluation.ts";

export interface CompletedComputation {
  flowValue: unknown;
  counts: Record<EvidenceResult, number>;
  compliance: number | null;
  result: ComplianceResult;
  evidenceDigest: string;
  /** The control version it was evaluated under; null for a draft. */
  controlVersion: number | null;
}

export async function failComputation(db: Queryable, runId: string): Promise<void> {
  await db.query(
    "update computations set status = 'failed', completed_at = now() where run_id = $1 and status = 'pending'",
    [runId],
  );
}

/**
 * Stores a batch of results in one statement: completes the computations (with their point, if any) and inserts their
 * evidences. The points themselves are appended by the points module, before this. Evidences are written only for the
 * computations the statement completed (and so locked), which is what lets them go without a foreign key check per
 * row (migration 0100); a computation not found fails the batch, as that check did.
 */
export async function storeComputationResults(
  db: Queryable,
  input: {
    computations: (CompletedComputation & { computationId: string; pointId: string | null })[];
    evidences: { computationId: string; evidences: readonly NormalizedEvidence[] }[];
  },
): Promise<void> {
  if (input.computations.length === 0) return;
  const computations = input.computations.map((item) => ({
    id: item.computationId,
    flowValue: item.flowValue ?? null,
    evidenceCount: item.counts.pass + item.counts.fail + item.counts.error + item.counts.not_applicable,
    pass: item.counts.pass,
    fail: item.counts.fail,
    error: item.counts.error,
    notApplicable: item.counts.not_applicable,
    compliance: item.compliance,
    result: item.result,
    digest: item.evidenceDigest,
    controlVersion: item.controlVersion,
    pointId: item.pointId,
  }));
  const evidences = input.evidences.flatMap((item) =>
    item.evidences.map((evidence) => ({ ...evidence, computationId: item.computationId })),
  );
  const result = await db.query<{ n: number }>(
    namedStatement(
      "computations_store_results",
      `with completed as (
       update computations c set status = 'ready', flow_value = x."flowValue", evidence_count = x."evidenceCount", pass_count = x.pass,
              fail_count = x.fail, error_count = x.error, not_applicable_count = x."notApplicable", compliance = x.compliance,
              result = x.result, evidence_digest = x.digest, control_version = x."controlVersion", point_id = x."pointId",
              completed_at = now()
         from jsonb_to_recordset($1::jsonb) as x(id uuid, "flowValue" jsonb, "evidenceCount" int, pass int, fail int, error int,
                                                "notApplicable" int, compliance numeric, result text, digest text,
                                                "controlVersion" int, "pointId" uuid)
        -- The id list lets the planner find the rows through the primary key instead of scanning the table.
        where c.id = x.id and c.id = any($3::uuid[])
       returning c.id
     ), stored_evidences as (
       insert into evidences (computation_id, position, key, value, result, period_from, period_to)
       select x."computationId", x.position, x.key, x.value, x.result, x."from", x."to"
         from jsonb_to_recordset($2::jsonb) as x("computationId" uuid, position int, key text, value jsonb, result text, "from" timestamptz, "to" timestamptz)
         join completed on completed.id = x."computationId"
     )
     select count(*)::int as n from completed`,
    ),
    [JSON.stringify(computations), JSON.stringify(evidences), computations.map((row) => row.id)],
  );
  const completed = result.rows[0]?.n ?? 0;
  if (completed !== computations.length)
    throw new Error(
      `${computations.length - completed} of ${computations.length} computations to store were not found`,
    );
}

/** Run id → computation id, for runs claimed without one at hand. */
export async function findComputationIdsOfRuns(db: Queryable, runIds: string[]): Promise<Map<string, string>> {
  const result = await db.query<{ id: string; runId: string }>(
    `select id, run_id as "runId" from computations where run_id = any($1::uuid[])`,
    [runIds],
  );
  return new Map(result.rows.map((row) => [row.runId, row.id]));
}
