import { randomUUID } from "node:crypto";
import type { EvidenceSubmissionBody, EvidenceSubmissionResult } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { evaluate, evidenceDigest, normalizeEvidences } from "../../domain/evaluation.ts";
import { assertTokenPermits } from "../../domain/token-permits.ts";
import { AppError, ConflictError, NotFoundError } from "../../errors.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { assertControlNotArchived, type ControlWithHistory } from "../controls/index.ts";
import { insertPushSubmissions, type PushSubmission } from "../evaluation/index.ts";
import { forgetPushControl, pushControlOf, type PushControl } from "./push-control-cache.ts";
import { findPushKey, PUSH_KEY_TTL_HOURS, savePushKey } from "./push-keys.repository.ts";
import { storePushSubmission } from "./push-submission-batches.ts";
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

/** Thrown inside the transaction when the control changed since it was read: roll back, read it again. */
class TargetChangedMeanwhile extends Error {}

/**
 * Reads of the control per submission before giving up: the first may be cached; a change between a fresh read and
 * the write (rare, and then the next read sees it) costs one more.
 */
const MAX_ATTEMPTS = 4;

/** Keys are the credential's own: a token's (each token its own space) or, for a session, its user's. */
function ownerKeyOf(actor: Actor): string {
  return actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.userId}`;
}

async function loadPushControl(deps: AppDeps, controlId: string, isFresh: boolean): Promise<PushControl> {
  const loaded = await pushControlOf(deps.db, controlId, { isFresh });
  if (!loaded) throw new NotFoundError("control", controlId);
  return loaded;
}

function assertPushControl({ control }: ControlWithHistory): void {
  assertControlNotArchived(control);
  if (control.kind !== "push") {
    throw new ConflictError(
      "control_not_push",
      `The control "${control.name}" gets its evidence from its mashup; evidence is sent only to push controls`,
    );
  }
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
 * Issue 20's throughput: the control is read from a short-lived cache (push-control-cache.ts) and a submission to an
 * open window is stored in one statement, with the others received at the same moment (push-submission-batches.ts),
 * that also checks the cached read is still current (insertPushSubmissions).
 */
export async function submitEvidence(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  body: EvidenceSubmissionBody,
  options: SubmitEvidenceOptions = {},
): Promise<EvidenceSubmissionResult> {
  const { idempotencyKey } = options;
  const key = idempotencyKey
    ? { ownerKey: ownerKeyOf(actor), idempotencyKey, bodyDigest: sha256Hex(canonicalJson(body)) }
    : undefined;
  const replayStored = async () => {
    const stored = key && (await findPushKey(deps.db, key.ownerKey, key.idempotencyKey));
    return stored ? replay(stored, controlId, key.bodyDigest) : undefined;
  };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const pushControl = await loadPushControl(deps, controlId, attempt > 0);
    const { context } = pushControl;
    // A refusal from an earlier read may be out of date (a scope set added since, say): decide on a fresh read.
    try {
      assertPushControl(context);
    } catch (error) {
      if (pushControl.isCached) continue;
      throw error;
    }
    assertTokenPermits(actor, "evidence:write", { controlId, catalogId: context.catalog.id });
    let target: PushTarget;
    try {
      target = resolvePushTarget(context, pushControl.plan, body, deps.now(), pushControl.windows);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (pushControl.isCached) continue;
      // A retry is answered as the first time even when its window or scope would be refused now.
      const replayed = await replayStored();
      if (replayed) return replayed;
      throw error;
    }
    const submission = submissionOf(actor, pushControl, target, body, options);
    const answer = {
      computationId: submission.computationId,
      windowFrom: submission.run.windowStart,
      windowTo: submission.run.windowEnd,
    };
    if (target.run.isProvisional) {
      // The common case, an open window: one statement stores the submission and its key (in a batch).
      const accepted: EvidenceSubmissionResult = { ...answer, status: "accepted", pointId: null };
      const outcome = await storePushSubmission(
        deps.db,
        { ...submission, ...(key ? { idempotency: { ...key, answer: accepted } } : {}) },
        PUSH_KEY_TTL_HOURS,
      );
      if (outcome === "stored") return accepted;
      if (outcome === "key_taken") {
        const replayed = await replayStored();
        if (replayed) return replayed;
      } else forgetPushControl(deps.db, controlId);
      continue;
    }
    try {
      return await withTransaction(deps.db, async (tx) => {
        const [outcome] = await insertPushSubmissions(tx, [submission], PUSH_KEY_TTL_HOURS);
        if (outcome === "stale") throw new TargetChangedMeanwhile();
        const closed = await closePushWindow(tx, context, target.run);
        if (closed?.decidedBy) deps.metrics.pointsWritten.inc({ source: "engine" }, 1);
        const result: EvidenceSubmissionResult = {
          ...answer,
          status: closed && closed.decidedBy !== submission.computationId ? "late" : "accepted",
          pointId: closed?.pointId ?? null,
        };
        if (key && !(await savePushKey(tx, { ...key, controlId, result }))) throw new KeyTakenMeanwhile();
        return result;
      });
    } catch (error) {
      if (error instanceof TargetChangedMeanwhile) {
        forgetPushControl(deps.db, controlId);
        continue;
      }
      if (!(error instanceof KeyTakenMeanwhile)) throw error;
      const replayed = await replayStored();
      if (!replayed) throw error;
      return replayed;
    }
  }
  throw new ConflictError("conflict", "The control changed while the evidence was being stored; send it again");
}

/**
 * A submission as stored: evaluated as a mashup's answer is (the control version's threshold over its evidences),
 * under a computation id chosen here so that the idempotency key's answer can name it in the same statement.
 */
function submissionOf(
  actor: Actor,
  pushControl: PushControl,
  target: PushTarget,
  body: EvidenceSubmissionBody,
  options: SubmitEvidenceOptions,
): PushSubmission {
  const evidences = normalizeEvidences(body.evidences);
  const evaluation = evaluate(evidences, target.threshold);
  return {
    run: { ...target.run, requestedBy: actor.userId },
    computationId: randomUUID(),
    flowValue: body.value ?? options.source ?? null,
    counts: evaluation.counts,
    compliance: evaluation.compliance,
    result: evaluation.result,
    evidenceDigest: evidenceDigest(evidences),
    controlVersion: target.version,
    evidences,
    stamp: pushControl.stamp,
  };
}
