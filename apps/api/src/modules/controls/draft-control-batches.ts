import type { Control } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { isDatabaseUnreachable } from "../../db/pg-errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { createTurnBatches, takeFirst } from "../../lib/turn-batches.ts";
import { auditOfStatement, auditOfStatementEach } from "../audit/index.ts";
import {
  insertDraftControlAudited,
  insertDraftControlsAudited,
  type ControlFields,
  type DraftControlOfBatch,
} from "./controls.repository.ts";
import { perPool } from "../../lib/per-pool.ts";

/**
 * Issue 19: draft controls added to draft catalogs are stored in batches, as pushed evidence is
 * (push-submission-batches.ts). Those whose requests arrive in one turn of the event loop go to Postgres as one
 * statement and one commit instead of a round trip, a statement, its triggers and a WAL flush each. A lone control goes
 * out at the end of its turn in the single statement of before, not delayed. Each request is answered only once its
 * batch has committed, so a 201 still means stored. One control the database refuses (a name taken) fails the batch's
 * statement: each of its controls is then stored alone and answers its own outcome, as without batches.
 */

/** A batch holds at most this many controls; the rest wait for the next. */
const MAX_BATCH = 100;
/** Batches in flight at once per pool: while they all are, new controls join the next one (lib/turn-batches.ts). */
const MAX_IN_FLIGHT = 4;

interface Pending extends DraftControlOfBatch {
  actor: Actor;
  resolve: (control: Control | undefined) => void;
  reject: (error: unknown) => void;
}

const batchesOf = perPool((db: Queryable) =>
  createTurnBatches<Pending>({
    maxInFlight: MAX_IN_FLIGHT,
    take: takeFirst(MAX_BATCH),
    store: (batch) => store(db, batch),
  }),
);

/**
 * Adds a draft control to a draft catalog, audited, with the others asked for in the same turn; never inside a
 * transaction (`db` is a pool). Undefined when it was not inserted (no such catalog, or one that is archived or
 * finalized), as insertDraftControlAudited.
 */
export function storeDraftControl(
  db: Queryable,
  actor: Actor,
  catalogId: string,
  fields: ControlFields,
): Promise<Control | undefined> {
  const batches = batchesOf(db);
  return new Promise((resolve, reject) => batches.add({ catalogId, fields, actor, resolve, reject }));
}

async function store(db: Queryable, batch: Pending[]): Promise<void> {
  if (batch.length === 1) return storeAlone(db, batch[0]!);
  try {
    const controls = await insertDraftControlsAudited(db, batch, (row, first) =>
      auditOfStatementEach(
        batch.map((pending) => pending.actor),
        { action: "create", resourceType: "control", ...row },
        first,
      ),
    );
    batch.forEach((pending, index) => pending.resolve(controls[index]));
  } catch (error) {
    // A database that cannot be reached fails them all at once rather than once each.
    if (isDatabaseUnreachable(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    await Promise.all(batch.map((pending) => storeAlone(db, pending)));
  }
}

/** The single statement of one control (insertDraftControlAudited), answering its own outcome. */
async function storeAlone(db: Queryable, pending: Pending): Promise<void> {
  try {
    pending.resolve(
      await insertDraftControlAudited(db, pending.catalogId, pending.fields, (row, first) =>
        auditOfStatement(pending.actor, { action: "create", resourceType: "control", ...row }, first),
      ),
    );
  } catch (error) {
    pending.reject(error);
  }
}
