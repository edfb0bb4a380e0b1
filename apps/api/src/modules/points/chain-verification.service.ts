import type { ChainVerification } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { evidenceDigest, type NormalizedEvidence } from "../../domain/evaluation.ts";
import { checkControlVersions, requireControl } from "../controls/index.ts";
import { findValidCheckpoint, saveCheckpoint, type ChainCheckpoint } from "./chain-checkpoint.repository.ts";
import {
  countChainByHashScheme,
  findChainHead,
  findFirstPointFromVersion,
  listChainBatch,
  type ChainPoint,
} from "./point-chain.repository.ts";
import { isPointHashIntact } from "./point-hash.ts";
import { listEvidenceOfComputations, type EvidenceRow } from "./points.repository.ts";

/** Points read per batch: large enough that round trips do not dominate, small enough to keep memory flat. */
const CHAIN_BATCH_SIZE = 2_000;

type EvidenceOfBatch = Awaited<ReturnType<typeof listEvidenceOfComputations>>;

/**
 * Walks a control's chain: its versions must still digest to what they recorded and link up; every point must link to
 * the hash of the one before, hash to its stored value under its own scheme (1 for points older than control
 * versions, 2 since), and its computation's stored evidences must still digest to what the point recorded. Where
 * retention pruned the evidences, the point's hash (which covers the digest) and the digest its computation kept stand
 * for them. Reports the first break and stops there.
 *
 * The chain is read in batches in seq order (evidence fetched per batch, the next batch read while one is hashed), so
 * memory stays flat whatever its length. An intact walk records its end as the control's checkpoint (migration 0064);
 * with `resume` the walk starts after that checkpoint when it still holds, so a frequent check costs what was
 * appended since. Without it the whole chain is walked: only a full walk finds an edit before the checkpoint.
 */
export async function verifyPointChain(
  deps: AppDeps,
  controlId: string,
  options: { resume: boolean } = { resume: false },
): Promise<ChainVerification> {
  const verification = await walkPointChain(deps, controlId, options.resume);
  deps.metrics.chainVerifications.inc({ result: verification.isIntact ? "intact" : "broken" });
  return verification;
}

async function walkPointChain(deps: AppDeps, controlId: string, resume: boolean): Promise<ChainVerification> {
  await requireControl(deps.db, controlId);
  const [checkpoint, versions] = await Promise.all([
    resume ? findValidCheckpoint(deps.db, controlId) : undefined,
    checkControlVersions(deps, controlId),
  ]);
  const report = async (
    firstBrokenPointId: string | null,
    problem: string | null,
    counted?: { pointCount: number; pointsByHashScheme: Record<string, number> },
  ): Promise<ChainVerification> => {
    // A broken chain was not walked to its end: its totals are counted apart (a break is rare, the count is cheap).
    const pointsByHashScheme = counted?.pointsByHashScheme ?? (await countChainByHashScheme(deps.db, controlId));
    return {
      controlId,
      isIntact: problem === null,
      pointCount: counted?.pointCount ?? Object.values(pointsByHashScheme).reduce((sum, count) => sum + count, 0),
      pointsByHashScheme,
      versionCount: versions.versionCount,
      checkedAt: deps.now().toISOString(),
      firstBrokenPointId,
      problem,
    };
  };
  if (versions.problem) {
    return report(await findFirstPointFromVersion(deps.db, controlId, versions.brokenVersion ?? 0), versions.problem);
  }
  // Where the walk stands: after the checkpoint (copied: it is compared with the end below), or before the first point.
  const walked: ChainCheckpoint = checkpoint
    ? { ...checkpoint, pointsByHashScheme: { ...checkpoint.pointsByHashScheme } }
    : { pointId: "", seq: "0", hash: "", pointCount: 0, pointsByHashScheme: {} };
  let previous: string | null = checkpoint ? checkpoint.hash : null;
  // The next batch (and its evidence) is read while this one is hashed: the database and the hashing overlap.
  let pending = readBatch(deps, controlId, walked.seq);
  for (;;) {
    const { batch, evidence } = await pending;
    if (batch.length === 0) break;
    if (batch.length === CHAIN_BATCH_SIZE) pending = readBatch(deps, controlId, batch.at(-1)!.seq);
    for (const point of batch) {
      const problem = pointProblem(point, previous, evidence);
      if (problem) return report(point.id, problem);
      previous = point.hash;
      walked.pointCount += 1;
      walked.pointsByHashScheme[point.hashScheme] = (walked.pointsByHashScheme[point.hashScheme] ?? 0) + 1;
      walked.pointId = point.id;
      walked.seq = point.seq;
      walked.hash = point.hash;
    }
    if (batch.length < CHAIN_BATCH_SIZE) break;
  }
  const counted = { pointCount: walked.pointCount, pointsByHashScheme: walked.pointsByHashScheme };
  const recorded = await findChainHead(deps.db, controlId);
  if (recorded.head !== previous || Number(recorded.length) !== walked.pointCount) {
    return report(
      null,
      `The chain ends before its recorded head (${recorded.length} points recorded, ${walked.pointCount} found): the newest points were removed`,
      counted,
    );
  }
  if (walked.pointCount > 0 && walked.seq !== checkpoint?.seq)
    await saveCheckpoint(deps.db, controlId, walked, deps.now());
  return report(null, null, counted);
}

/** The chain's next batch after `afterSeq`, with the stored evidence of the computations its points name. */
function readBatch(deps: AppDeps, controlId: string, afterSeq: string) {
  const reading = readBatchNow(deps, controlId, afterSeq);
  // A walk that stops at a break leaves the read ahead unawaited: its failure must not go unhandled.
  reading.catch(() => undefined);
  return reading;
}

async function readBatchNow(deps: AppDeps, controlId: string, afterSeq: string) {
  const batch = await listChainBatch(deps.db, controlId, afterSeq, CHAIN_BATCH_SIZE);
  const evidence = await listEvidenceOfComputations(deps.db, [
    ...new Set(batch.flatMap((point) => (point.computationId && point.evidenceDigest ? [point.computationId] : []))),
  ]);
  return { batch, evidence };
}

/** What is wrong with one point of the chain, if anything. */
function pointProblem(point: ChainPoint, previous: string | null, evidence: EvidenceOfBatch): string | null {
  if (point.prevHash !== previous)
    return "The point does not link to the point before it (a point was removed or reordered)";
  if (point.controlVersion !== null && !point.versionDigest)
    return `The point names control version ${point.controlVersion}, which does not exist`;
  if (!isPointHashIntact(point)) return "The point's stored fields no longer match its hash (it was edited)";
  if (!point.computationId || !point.evidenceDigest) return null;
  const stored = evidence.get(point.computationId) ?? { evidences: [], detailPrunedAt: null, evidenceDigest: null };
  return evidenceProblem(stored, point.evidenceDigest);
}

/** What is wrong with the evidence behind a point, or null when it still matches the digest the point recorded. */
function evidenceProblem(
  stored: { evidences: EvidenceRow[]; detailPrunedAt: string | null; evidenceDigest: string | null },
  digest: string,
): string | null {
  if (stored.detailPrunedAt) {
    // Pruning removes every evidence of a computation at once and keeps its digest; anything else is tampering.
    if (stored.evidences.length > 0) return "Evidence was stored again after the computation's detail was pruned";
    if (stored.evidenceDigest !== digest) return "The evidence digest kept after pruning no longer matches the point";
    return null;
  }
  const normalized = (stored.evidences as NormalizedEvidence[]).map((evidence) => ({
    ...evidence,
    from: toIso(evidence.from),
    to: toIso(evidence.to),
  }));
  return evidenceDigest(normalized) === digest ? null : "The evidence behind the point was changed";
}

function toIso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
