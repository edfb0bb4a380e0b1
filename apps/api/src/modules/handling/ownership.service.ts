import { hasRole, type Control, type MyControlList, type PersonList, type PersonListQuery } from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { ForbiddenError, ValidationError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { assertControlNotArchived, requireControl } from "../controls/index.ts";
import { findAccountById } from "../users/index.ts";
import {
  deleteOwner,
  deleteWatcher,
  insertWatcher,
  listControlsOfUser,
  listPeople,
  upsertOwner,
} from "./ownership.repository.ts";

/** The control, not archived (ownership of an archived control is read-only like the rest of it). */
async function requireLiveControl(db: Queryable, controlId: string): Promise<Control> {
  const control = await requireControl(db, controlId, { forUpdate: true });
  assertControlNotArchived(control);
  return control;
}

/** An enabled user, or a 400 naming the body field that named them. */
async function requireEnabledUser(db: Queryable, userId: string, field: string) {
  const user = await findAccountById(db, userId);
  if (!user || user.isDisabled) throw new ValidationError([{ path: field, message: "No enabled user with this id" }]);
  return user;
}

/** Users that can be picked as owner, watcher or approver (enabled ones), by username. */
export async function findPeople(deps: AppDeps, query: PersonListQuery): Promise<PersonList> {
  return { items: await listPeople(deps.db, query.q) };
}

/** Makes an enabled user the control's owner (DEVELOPER and above), audited; answers the control. */
export async function setControlOwner(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; userId: string },
): Promise<Control> {
  return withTransaction(deps.db, async (tx) => {
    const before = await requireLiveControl(tx, input.controlId);
    await requireEnabledUser(tx, input.userId, "body.userId");
    await upsertOwner(tx, { controlId: input.controlId, userId: input.userId, assignedBy: actor.userId });
    const control = await requireControl(tx, input.controlId);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "control_owner",
      resourceId: input.controlId,
      before: { owner: before.owner },
      after: { owner: control.owner },
    });
    return control;
  });
}

/** Leaves the control without an owner (DEVELOPER and above), audited; a no-op when it had none. */
export async function clearControlOwner(deps: AppDeps, actor: Actor, controlId: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await requireLiveControl(tx, controlId);
    if (!(await deleteOwner(tx, controlId))) return;
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "control_owner",
      resourceId: controlId,
      before: { owner: before.owner },
      after: { owner: null },
    });
  });
}

/** Anyone may watch or unwatch a control themself; changing someone else's watch takes DEVELOPER or above. */
function assertMayChangeWatch(actor: Actor, userId: string): void {
  if (userId !== actor.userId && !hasRole(actor.role, "DEVELOPER"))
    throw new ForbiddenError("Only DEVELOPER and above change who else watches a control");
}

/** Adds a watcher (audited when new); answers the control. */
export async function addControlWatcher(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; userId: string },
): Promise<Control> {
  return withTransaction(deps.db, async (tx) => {
    await requireLiveControl(tx, input.controlId);
    assertMayChangeWatch(actor, input.userId);
    const user = await requireEnabledUser(tx, input.userId, "body.userId");
    if (await insertWatcher(tx, { controlId: input.controlId, userId: user.id, addedBy: actor.userId })) {
      await recordAudit(tx, actor, {
        action: "create",
        resourceType: "control_watcher",
        resourceId: input.controlId,
        after: { userId: user.id, username: user.username },
      });
    }
    return requireControl(tx, input.controlId);
  });
}

/** Removes a watcher (audited when they were watching). */
export async function removeControlWatcher(
  deps: AppDeps,
  actor: Actor,
  input: { controlId: string; userId: string },
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const control = await requireLiveControl(tx, input.controlId);
    assertMayChangeWatch(actor, input.userId);
    const watcher = control.watchers.find((candidate) => candidate.id === input.userId);
    if (!(await deleteWatcher(tx, input.controlId, input.userId))) return;
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "control_watcher",
      resourceId: input.controlId,
      before: { userId: input.userId, username: watcher?.username ?? null },
    });
  });
}

/** "My controls": what the signed-in user owns or watches, with each control's state at the API's clock. */
export async function listMyControls(deps: AppDeps, actor: Actor): Promise<MyControlList> {
  return { items: await listControlsOfUser(deps.db, actor.userId, deps.now()) };
}
