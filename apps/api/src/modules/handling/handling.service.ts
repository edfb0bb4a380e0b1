import {
  hasRole,
  type CreatePointExceptionBody,
  type PointAcknowledgement,
  type PointComment,
  type PointCommentList,
  type PointException,
  type PointExceptionList,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import { isExceptionActive } from "../../domain/point-handling.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { assertControlNotArchived, requireControl } from "../controls/index.ts";
import { findAccountById } from "../users/index.ts";
import {
  findAcknowledgement,
  findActiveExceptionOfPoint,
  findException,
  findPoint,
  insertAcknowledgement,
  insertComment,
  insertException,
  listCommentsOfPoint,
  listExceptionsOfControl,
  markExceptionRevoked,
  type HandledPoint,
  type StoredException,
} from "./handling.repository.ts";

/*
 * Handling a failing point: comments, an acknowledgement, an accepted exception. None of it touches the point (its
 * hash chain covers what was measured, never how it was handled), so a failure stays a failure in the record and in
 * exports; every change is audited in the transaction that makes it.
 */

async function requirePoint(db: Queryable, pointId: string): Promise<HandledPoint> {
  const point = await findPoint(db, pointId);
  if (!point) throw new NotFoundError("point", pointId);
  return point;
}

function assertFailing(point: HandledPoint): void {
  if (point.result !== "fail")
    throw new ConflictError("point_not_failing", `The point's result is ${point.result}: only failures are handled`);
}

/** A point whose control is not archived (the handling of an archived control is read-only, like the rest of it). */
async function requireWritablePoint(db: Queryable, pointId: string): Promise<HandledPoint> {
  const point = await requirePoint(db, pointId);
  assertControlNotArchived(await requireControl(db, point.controlId));
  return point;
}

function exceptionAt(stored: StoredException, now: Date): PointException {
  const status = stored.revokedAt ? "revoked" : isExceptionActive(stored.expiresAt, now) ? "active" : "expired";
  return { ...stored, status };
}

/** A point's comments, oldest first. */
export async function listPointComments(deps: AppDeps, pointId: string): Promise<PointCommentList> {
  await requirePoint(deps.db, pointId);
  return { items: await listCommentsOfPoint(deps.db, pointId) };
}

/** Adds a comment to a point (any result); comments are never edited: a correction is a new comment. */
export async function addPointComment(
  deps: AppDeps,
  actor: Actor,
  input: { pointId: string; body: string },
): Promise<PointComment> {
  return withTransaction(deps.db, async (tx) => {
    const point = await requireWritablePoint(tx, input.pointId);
    const comment = await insertComment(tx, {
      pointId: point.id,
      controlId: point.controlId,
      body: input.body,
      authorId: actor.userId,
      authorName: actor.username,
    });
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "point_comment",
      resourceId: comment.id,
      after: comment,
    });
    return comment;
  });
}

/**
 * Marks a failing point acknowledged: who and when, once. Acknowledging again answers the first acknowledgement
 * (`isNew: false`) and changes nothing.
 */
export async function acknowledgePoint(
  deps: AppDeps,
  actor: Actor,
  pointId: string,
): Promise<{ acknowledgement: PointAcknowledgement; isNew: boolean }> {
  return withTransaction(deps.db, async (tx) => {
    const point = await requireWritablePoint(tx, pointId);
    assertFailing(point);
    const created = await insertAcknowledgement(tx, {
      pointId,
      controlId: point.controlId,
      userId: actor.userId,
      userName: actor.username,
    });
    if (!created) return { acknowledgement: (await findAcknowledgement(tx, pointId))!, isNew: false };
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "point_acknowledgement",
      resourceId: pointId,
      after: created,
    });
    return { acknowledgement: created, isNew: true };
  });
}

/** A control's exceptions, newest first, each active, expired or revoked at the API's clock. */
export async function listControlExceptions(deps: AppDeps, controlId: string): Promise<PointExceptionList> {
  await requireControl(deps.db, controlId);
  const now = deps.now();
  return { items: (await listExceptionsOfControl(deps.db, controlId)).map((stored) => exceptionAt(stored, now)) };
}

/** The approver: an enabled user who may approve (DEVELOPER or ADMIN); otherwise a 400 on `body.approverId`. */
async function requireApprover(db: Queryable, approverId: string) {
  const approver = await findAccountById(db, approverId);
  const problem = !approver || approver.isDisabled ? "No enabled user with this id" : undefined;
  if (problem || !hasRole(approver!.role, "DEVELOPER"))
    throw new ValidationError([
      { path: "body.approverId", message: problem ?? "The approver must be a DEVELOPER or an ADMIN" },
    ]);
  return approver!;
}

/**
 * Records an accepted exception for a failing point of the control, until `expiresAt` (in the future at the API's
 * clock). 409 `point_not_failing` for another result, `exception_active` while the point has an active one.
 */
export async function recordPointException(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; body: CreatePointExceptionBody },
): Promise<PointException> {
  const now = deps.now();
  if (!isExceptionActive(input.body.expiresAt, now))
    throw new ValidationError([{ path: "body.expiresAt", message: "Must be in the future" }]);
  return withTransaction(deps.db, async (tx) => {
    const control = await requireControl(tx, input.controlId, { forUpdate: true });
    assertControlNotArchived(control);
    const point = await findPoint(tx, input.body.pointId);
    if (!point || point.controlId !== control.id) throw new NotFoundError("point of this control", input.body.pointId);
    assertFailing(point);
    const approver = await requireApprover(tx, input.body.approverId);
    const active = await findActiveExceptionOfPoint(tx, point.id, now);
    if (active)
      throw new ConflictError(
        "exception_active",
        `The point has an active exception until ${active.expiresAt}; revoke it before recording another`,
      );
    const id = await insertException(tx, {
      pointId: point.id,
      controlId: control.id,
      justification: input.body.justification,
      approverId: approver.id,
      approverName: approver.username,
      expiresAt: input.body.expiresAt,
      createdBy: actor.userId,
      createdByName: actor.username,
      createdAt: now,
    });
    const exception = exceptionAt((await findException(tx, id))!, now);
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "point_exception",
      resourceId: id,
      after: exception,
    });
    return exception;
  });
}

/** Revokes an exception (who, when, why are recorded; the row stays). 409 `exception_revoked` when it already was. */
export async function revokePointException(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; exceptionId: string; reason: string },
): Promise<PointException> {
  const now = deps.now();
  return withTransaction(deps.db, async (tx) => {
    const control = await requireControl(tx, input.controlId, { forUpdate: true });
    assertControlNotArchived(control);
    const before = await findException(tx, input.exceptionId, { forUpdate: true });
    if (!before || before.controlId !== control.id)
      throw new NotFoundError("exception of this control", input.exceptionId);
    if (before.revokedAt)
      throw new ConflictError("exception_revoked", `The exception was revoked at ${before.revokedAt}`);
    await markExceptionRevoked(tx, {
      id: before.id,
      userId: actor.userId,
      userName: actor.username,
      reason: input.reason,
      at: now,
    });
    const after = exceptionAt((await findException(tx, before.id))!, now);
    await recordAudit(tx, actor, {
      action: "revoke",
      resourceType: "point_exception",
      resourceId: before.id,
      before: exceptionAt(before, now),
      after,
    });
    return after;
  });
}
