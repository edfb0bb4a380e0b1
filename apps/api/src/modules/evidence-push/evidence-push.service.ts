import type { EvidenceSubmissionBody, EvidenceSubmissionResult } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { evaluate, evidenceDigest, normalizeEvidences } from "../../domain/evaluation.ts";
import { assertTokenPermits } from "../../domain/token-permits.ts";
import { AppError, ConflictError, NotFoundError } from "../../errors.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { assertControlNotArchived, getControlsWithHistory, type ControlWithHistory } from "../controls/index.ts";
import { insertPushRun, storeComputationResults } from "../evaluation/index.ts";
import { findPushKey, savePushKey } from "./push-keys.repository.ts";
import { resolvePushTarget, type PushTarget } from "./push-target.ts";
import { closePushWindow } from "./push-window-close.service.ts";

export interface SubmitEvidenceOptions {
  /** The `Idempotency-Key` header: a retry with the same key and body answers the first result. */
  idempotencyKey?: string;
  /** Where the evidence came from (e.g. a scanner import), kept as the computation's value when the body has none. */
  source?: string;
}

/** Thrown inside the transaction when a concurrent request took the same key: roll back, answer as a retry. */
class KeyTakenMeanwhile extends Error {}

/** Keys are the credential's own: a token's (each token its own space) or, for a session, its user's. */
function ownerKeyOf(actor: Actor): string {
  return actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.userId}`;
}

async function loadPushControl(deps: AppDeps, controlId: string): Promise<ControlWithHistory> {
  const context = (await getControlsWithHistory(deps.db, [controlId])).get(controlId);
  if (!context) throw new NotFoundError("control", controlId);
  assertControlNotArchived(context.control);
  if (context.control.kind !== "push") {
    throw new ConflictError(
      "control_not_push",
      `The control "${context.control.name}" gets its evidence from its mashup; evidence is sent only to push controls`,
    );
  }
  return context;
}

/** The answer kept for a key: the same body answers it again (status `duplicate`), another body is refused. */
function replay(
  stored: { controlId: string; bodyDigest: string; result: EvidenceSubmissionResult },
  controlId: string,
  digest: string,
) {
  if (stored.controlId !== controlId || stored.bodyDigest !== digest) {
    throw new AppError(
      409,
      "idempotency_key_reused",
      "Conflict",
      "This Idempotency-Key was used in the last 24 hours for another submission; use a new key for new evidence",
    );
  }
  return { ...stored.result, status: "duplicate" as const };
}

/**
 * Receives evidence for a push control (`POST /controls/:id/evidence`). The submission is evaluated as a mashup's
 * answer is (the control version's threshold over its evidences) and stored as a run of trigger `push` with its
 * computation and evidences. Its window's point:
 * - window still open: none yet; when the window closes, the last submission received while it was open decides it
 *   (closeDuePushWindows, on the maintenance tick);
 * - window closed without a point: made now — from the last submission received while it was open, if any (this one
 *   is then `late`), or else from this one;
 * - window with a point already: this one is stored, `late`, and the point is unchanged.
 */
export async function submitEvidence(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  body: EvidenceSubmissionBody,
  options: SubmitEvidenceOptions = {},
): Promise<EvidenceSubmissionResult> {
  const context = await loadPushControl(deps, controlId);
  assertTokenPermits(actor, "evidence:write", { controlId, catalogId: context.catalog.id });
  const ownerKey = ownerKeyOf(actor);
  const digest = sha256Hex(canonicalJson(body));
  const { idempotencyKey } = options;
  if (idempotencyKey) {
    const stored = await findPushKey(deps.db, ownerKey, idempotencyKey);
    if (stored) return replay(stored, controlId, digest);
  }
  const target = await resolvePushTarget(deps.db, context, body, deps.now());
  try {
    return await withTransaction(deps.db, async (tx) => {
      const result = await storeSubmission(tx, deps, actor, context, target, body, options);
      if (idempotencyKey) {
        const isSaved = await savePushKey(tx, { ownerKey, idempotencyKey, controlId, bodyDigest: digest, result });
        if (!isSaved) throw new KeyTakenMeanwhile();
      }
      return result;
    });
  } catch (error) {
    if (!(error instanceof KeyTakenMeanwhile)) throw error;
    const stored = await findPushKey(deps.db, ownerKey, idempotencyKey!);
    if (!stored) throw error;
    return replay(stored, controlId, digest);
  }
}

async function storeSubmission(
  tx: Parameters<Parameters<typeof withTransaction>[1]>[0],
  deps: AppDeps,
  actor: Actor,
  context: ControlWithHistory,
  target: PushTarget,
  body: EvidenceSubmissionBody,
  options: SubmitEvidenceOptions,
): Promise<EvidenceSubmissionResult> {
  const evidences = normalizeEvidences(body.evidences);
  const evaluation = evaluate(evidences, target.threshold);
  const { computationId } = await insertPushRun(tx, { ...target.run, requestedBy: actor.userId });
  await storeComputationResults(tx, {
    computations: [
      {
        computationId,
        flowValue: body.value ?? options.source ?? null,
        counts: evaluation.counts,
        compliance: evaluation.compliance,
        result: evaluation.result,
        evidenceDigest: evidenceDigest(evidences),
        controlVersion: target.version,
        pointId: null,
      },
    ],
    evidences: [{ computationId, evidences }],
  });
  const answer = {
    computationId,
    windowFrom: target.run.windowStart,
    windowTo: target.run.windowEnd,
  };
  if (target.run.isProvisional) return { ...answer, status: "accepted", pointId: null };
  const closed = await closePushWindow(tx, context, target.run);
  if (closed?.decidedBy) deps.metrics.pointsWritten.inc({ source: "engine" }, 1);
  return {
    ...answer,
    status: closed && closed.decidedBy !== computationId ? "late" : "accepted",
    pointId: closed?.pointId ?? null,
  };
}
