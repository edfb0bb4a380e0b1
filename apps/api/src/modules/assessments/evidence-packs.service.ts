import { createReadStream, type ReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { AssessmentPeriodQuery, EvidencePack, PackPublicKey } from "@status/shared";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import { requireCatalog } from "../catalogs/index.ts";
import {
  claimPack,
  completePack,
  failPack,
  findPack,
  insertPack,
  listPacksOfCatalog,
  markPacksExpired,
  updatePackProgress,
} from "./evidence-packs.repository.ts";
import { buildEvidencePack, packDirectory } from "./pack-builder.ts";
import { loadPackSigningKey } from "./signing-key.ts";

/** How often a worker looks for a pack to build. */
const PACK_POLL_INTERVAL_MS = 1_000;

/** Queues a pack of a catalog's period; a worker builds it (202: follow it at GET /evidence-packs/:id). */
export async function requestEvidencePack(
  deps: AppDeps,
  actor: Actor,
  input: { catalogId: string; period: AssessmentPeriodQuery },
): Promise<EvidencePack> {
  const catalog = await requireCatalog(deps.db, input.catalogId);
  return insertPack(deps.db, {
    catalogId: catalog.id,
    from: new Date(input.period.from).toISOString(),
    to: new Date(input.period.to).toISOString(),
    requestedBy: actor.userId,
  });
}

/** A pack and its progress, or 404. */
export async function getEvidencePack(deps: Pick<AppDeps, "db">, id: string): Promise<EvidencePack> {
  const pack = await findPack(deps.db, id);
  if (!pack) throw new NotFoundError("evidence pack", id);
  const { fileName: _fileName, ...answer } = pack;
  return answer;
}

/** A pack no worker will change any more: its event stream ends there. */
export function isPackSettled(pack: Pick<EvidencePack, "status">): boolean {
  return pack.status === "done" || pack.status === "failed" || pack.status === "expired";
}

/** A catalog's packs, newest first (404 for an unknown catalog). */
export async function listEvidencePacks(deps: AppDeps, catalogId: string): Promise<EvidencePack[]> {
  await requireCatalog(deps.db, catalogId);
  return listPacksOfCatalog(deps.db, catalogId);
}

/** The finished pack's ZIP as a stream from disk (409 until it is done). */
export async function openEvidencePackDownload(
  deps: AppDeps,
  id: string,
): Promise<{ stream: ReadStream; fileName: string; sizeBytes: number }> {
  const pack = await findPack(deps.db, id);
  if (!pack) throw new NotFoundError("evidence pack", id);
  if (pack.status !== "done" || !pack.fileName)
    throw new ConflictError("evidence_pack_not_ready", `The evidence pack is ${pack.status}, not done`);
  return {
    stream: createReadStream(path.join(packDirectory(deps), pack.fileName)),
    fileName: `evidence-pack-${pack.catalogId}-${pack.from.slice(0, 10)}-${pack.to.slice(0, 10)}.zip`,
    sizeBytes: pack.sizeBytes ?? 0,
  };
}

/**
 * Retention of packs: up to `limit` packs built before `cutoff` are marked expired and their ZIP files deleted from
 * disk. Answers how many expired.
 */
export async function expireEvidencePacks(
  deps: Pick<AppDeps, "db" | "config">,
  input: { cutoff: Date; limit: number; now: Date },
): Promise<number> {
  const expired = await markPacksExpired(deps.db, input);
  for (const pack of expired)
    if (pack.fileName) await rm(path.join(packDirectory(deps), pack.fileName), { force: true });
  return expired.length;
}

/** The public key that verifies this instance's packs. */
export async function getPackPublicKey(deps: AppDeps): Promise<PackPublicKey> {
  return (await loadPackSigningKey(deps)).publicKey;
}

/**
 * Builds the next pack waiting for a worker, if any: queued, or claimed by a worker that stopped renewing its claim
 * (RUN_STALE_AFTER_MS, like runs). A heartbeat renews the claim while it builds; a late write of an attempt that
 * lost its claim is refused by the attempt number. `onStage` hears each stage as it starts (the bench times them).
 * Answers whether a pack was built.
 */
export async function processNextEvidencePack(
  deps: AppDeps,
  options: { onStage?: (stage: string) => void } = {},
): Promise<boolean> {
  const pack = await claimPack(deps.db, deps.config.engine.staleAfterMs);
  if (!pack) return false;
  let current = { progress: 0, stage: "starting" };
  const renew = () =>
    updatePackProgress(deps.db, { id: pack.id, attempts: pack.attempts, ...current }).catch((error: unknown) => {
      deps.log.warn({ err: error, packId: pack.id }, "evidence pack heartbeat failed");
      return false;
    });
  const heartbeat = setInterval(() => void renew(), Math.max(500, Math.floor(deps.config.engine.staleAfterMs / 3)));
  heartbeat.unref();
  try {
    const built = await buildEvidencePack(deps, {
      packId: pack.id,
      catalogId: pack.catalogId,
      period: { from: pack.from, to: pack.to },
      progress: async (progress, stage) => {
        if (stage !== current.stage) options.onStage?.(stage);
        current = { progress, stage };
        await renew();
      },
    });
    await completePack(deps.db, { id: pack.id, attempts: pack.attempts, ...built });
  } catch (error) {
    deps.log.error({ err: error, packId: pack.id }, "evidence pack failed");
    await failPack(deps.db, { id: pack.id, attempts: pack.attempts, error: (error as Error).message });
  } finally {
    clearInterval(heartbeat);
  }
  return true;
}

/** Polls for packs to build, one at a time per process, until stopped. */
export function startEvidencePackWorker(deps: AppDeps): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let isBusy = false;
  const tick = () => {
    if (isBusy) return;
    isBusy = true;
    running = (async () => {
      while (await processNextEvidencePack(deps));
    })()
      .catch((error: unknown) => deps.log.error({ err: error }, "evidence pack worker failed"))
      .finally(() => {
        isBusy = false;
      });
  };
  const timer = setInterval(tick, PACK_POLL_INTERVAL_MS);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
