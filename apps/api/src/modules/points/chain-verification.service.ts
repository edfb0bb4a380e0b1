import type { ChainVerification } from "@status/shared";
import { isoOfTimestamptz } from "../../db/timestamptz.ts";
import type { AppDeps } from "../../deps.ts";
import { checkControlVersions, requireControl } from "../controls/index.ts";
import { findValidCheckpoint, saveCheckpoint, type ChainCheckpoint } from "./chain-checkpoint.repository.ts";
import { listChainWalkBatch, type ChainPointEvidence, type WalkedPoint } from "./chain-walk.repository.ts";
import { countChainByHashScheme, findChainHead, findFirstPointFromVersion } from "./point-chain.repository.ts";
import { evidenceDigest, isPointHashIntact } from "./point-hash.ts";

/**
 * Points read per batch: large enough that round trips do not dominate, small enough to keep memory flat. Measured
 * with 5,000 and 10,000 too: no faster, and more garbage to collect.
 */
const CHAIN_BATCH_SIZE = 2_000;

/**
 * Batches being read at any time, each on its own connection: Postgres hashes the points (see listChainWalkBatch), so
 * reading is most of a walk's work, and two backends use two cores while this process checks the batch read before.
 */
const CHAIN_BATCHES_AT_ONCE = 2;

/**
 * Walks a control's chain: its versions must still digest to what they recorded and link up; every point must link to
 * the hash of the one before, hash to its stored value under its own scheme (1 for points older than control
 * versions, 2 since), and its computation's stored evidences must still digest to what the point recorded. Where
 * retention pruned the evidences, the point's hash (which covers the digest) and the digest its computation kept stand
 * for them. Reports the first break and stops there.
 *
 * The chain is read in keyset batches in seq order, each point with its computation's evidences in the same
 * statement, Postgres settling the points it verified whole (the hash function checks only the points it did not),
 * two batches being read at any time, the next asked for as each arrives, so memory stays flat whatever its length.
 * An intact walk records its end as the control's checkpoint (migration 0064); with `resume` the walk starts after
 * that checkpoint when it still holds, so a frequent check costs what was appended since. Without it the whole chain
 * is walked: only a full walk finds an edit before the checkpoint.
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
  // CHAIN_BATCHES_AT_ONCE batches are always being read: as each arrives (in chain order) the one that many batches on
  // is asked for, so no backend waits for another's batch, and this process checks a batch while the next are read.
  const reading = Array.from({ length: CHAIN_BATCHES_AT_ONCE }, (_, index) =>
    readBatch(deps, controlId, walked.seq, index),
  );
  for (;;) {
    const batch = await reading.shift()!;
    // A batch's last point always comes (it holds the batch's totals); an empty batch has none.
    const end = batch.at(-1);
    const isLast = (end?.batchCount ?? 0) < CHAIN_BATCH_SIZE;
    if (!isLast) reading.push(readBatch(deps, controlId, end!.seq, CHAIN_BATCHES_AT_ONCE - 1));
    // Only the points Postgres did not settle come, with the batch's first and last (listChainWalkBatch): a point
    // links to the one before it in the batch, sent or not, and the first to the end of the batch before.
    for (const point of batch) {
      if (point.position > 1) previous = point.hashBefore;
      const problem = pointProblem(point, previous);
      if (problem) return report(point.id, problem);
      previous = point.hash;
      // Points of schemes 1 and 2 are counted from the batch's totals below; any other scheme is never settled.
      if (point.hashScheme !== 1 && point.hashScheme !== 2) count(walked, point.hashScheme, 1);
    }
    if (end) {
      walked.pointCount += end.batchCount;
      count(walked, 1, end.schemeOneCount);
      count(walked, 2, end.schemeTwoCount);
      walked.pointId = end.id;
      walked.seq = end.seq;
      walked.hash = end.hash;
    }
    if (isLast) break;
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

/** The chain's batch `ahead` batches after the one that ends at `afterSeq`, each point with its evidence. */
function readBatch(deps: AppDeps, controlId: string, afterSeq: string, ahead: number): Promise<WalkedPoint[]> {
  const reading = listChainWalkBatch(deps.db, controlId, afterSeq, CHAIN_BATCH_SIZE, ahead * CHAIN_BATCH_SIZE);
  // A walk that stops at a break (or at the chain's end) leaves the reads ahead unawaited: their failure must not go
  // unhandled.
  reading.catch(() => undefined);
  return reading;
}

/** Adds `points` of a hash scheme to the walk's totals (a scheme with none is not listed, as before any point). */
function count(walked: ChainCheckpoint, hashScheme: number, points: number): void {
  if (points > 0) walked.pointsByHashScheme[hashScheme] = (walked.pointsByHashScheme[hashScheme] ?? 0) + points;
}

/** What is wrong with one point of the chain, if anything. */
function pointProblem(point: WalkedPoint, previous: string | null): string | null {
  if (point.prevHash !== previous)
    return "The point does not link to the point before it (a point was removed or reordered)";
  if (point.controlVersion !== null && !point.hasVersionDigest)
    return `The point names control version ${point.controlVersion}, which does not exist`;
  // Postgres verified most points; the rest (a mismatch, or values its text is not proven for) the hash decides.
  if (!point.isHashVerified && !isPointHashIntact(point))
    return "The point's stored fields no longer match its hash (it was edited)";
  if (!point.computationId || !point.evidenceDigest) return null;
  return evidenceProblem(point, point.evidenceDigest);
}

/** What is wrong with the evidence behind a point, or null when it still matches the digest the point recorded. */
function evidenceProblem(stored: ChainPointEvidence, digest: string): string | null {
  const evidences = stored.evidences ?? [];
  if (stored.isPruned) {
    // Pruning removes every evidence of a computation at once and keeps its digest; anything else is tampering.
    if (evidences.length > 0) return "Evidence was stored again after the computation's detail was pruned";
    if (stored.keptDigest !== digest) return "The evidence digest kept after pruning no longer matches the point";
    return null;
  }
  // A computation that is gone has no evidences: the digest of none, which a point that recorded some does not match.
  const normalized = evidences.map((evidence) => ({ ...evidence, from: toIso(evidence.from), to: toIso(evidence.to) }));
  return evidenceDigest(normalized) === digest ? null : "The evidence behind the point was changed";
}

/**
 * An instant as the evidences' timestamptz columns read: the database's text, as ISO, by the parser database.ts gives
 * those columns (the common text rearranged, not parsed into a Date and printed again).
 */
function toIso(value: string | null): string | null {
  return value === null ? null : isoOfTimestamptz(value);
}
