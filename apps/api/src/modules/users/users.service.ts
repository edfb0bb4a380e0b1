import type { CreateUserBody, EndedSessions, Page, UpdateUserBody, User, UserListQuery } from "@status/shared";
import { randomBytes } from "node:crypto";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { hashPassword } from "./passwords.ts";
import { endAllSessions, forgetCachedSessions, revokeAllSessionsIn } from "../sessions/index.ts";
import {
  countActiveAdminsForUpdate,
  countUsers,
  deleteUserRow,
  findUserById,
  insertUser,
  listUsers,
  updateUser,
  type UserRecord,
} from "./users.repository.ts";

/** The public view of a user: never the password hash or the GitHub id. */
function toUser(record: UserRecord | User): User {
  const {
    passwordHash: _hash,
    githubId: _githubId,
    mustChangePassword: _mustChange,
    hasOidcLink: _hasOidc,
    ...user
  } = record as UserRecord;
  return user;
}

function duplicateUserError(error: unknown): never {
  if (isUniqueViolation(error, "users_username_key")) throw new ConflictError("duplicate", "That username is taken");
  if (isUniqueViolation(error, "users_email_key"))
    throw new ConflictError("duplicate", "That e-mail address belongs to another user");
  throw error;
}

export async function listAllUsers(deps: AppDeps, query: UserListQuery): Promise<Page<User>> {
  return listUsers(deps.db, query);
}

export async function getUser(deps: AppDeps, id: string): Promise<User> {
  const user = await findUserById(deps.db, id);
  if (!user) throw new NotFoundError("user", id);
  return toUser(user);
}

/** Creates a local account (ADMIN only). */
export async function createUser(deps: AppDeps, actor: Actor | null, input: CreateUserBody): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(deps.db, async (tx) => {
      const user = await insertUser(tx, {
        username: input.username,
        email: input.email ?? null,
        displayName: input.displayName ?? null,
        role: input.role,
        passwordHash,
      });
      await recordAudit(tx, actor, { action: "create", resourceType: "user", resourceId: user.id, after: user });
      return user;
    });
  } catch (error) {
    duplicateUserError(error);
  }
}

/** Refuses a change that would leave no active administrator. */
async function assertAdminRemains(
  tx: Queryable,
  before: UserRecord,
  after: { role: string; isDisabled: boolean } | null,
): Promise<void> {
  const wasActiveAdmin = before.role === "ADMIN" && !before.isDisabled;
  const staysActiveAdmin = after !== null && after.role === "ADMIN" && !after.isDisabled;
  if (!wasActiveAdmin || staysActiveAdmin) return;
  if ((await countActiveAdminsForUpdate(tx)) <= 1) {
    throw new ConflictError("last_admin", "This is the last active administrator; promote another user first");
  }
}

/**
 * Updates a user. A change of role, password or disabling ends the user's sessions, because their access tokens
 * carry the old role and may be in the wrong hands.
 */
export async function updateUserById(deps: AppDeps, actor: Actor, id: string, input: UpdateUserBody): Promise<User> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  let endedSessions: string[] = [];
  try {
    const updated = await withTransaction(deps.db, async (tx) => {
      const before = await findUserById(tx, id);
      if (!before) throw new NotFoundError("user", id);
      const role = input.role ?? before.role;
      const isDisabled = input.isDisabled ?? before.isDisabled;
      await assertAdminRemains(tx, before, { role, isDisabled });
      const after = await updateUser(tx, id, { ...input, ...(passwordHash ? { passwordHash } : {}) });
      if (role !== before.role || isDisabled || passwordHash) {
        const reason = isDisabled ? "account_disabled" : "account_changed";
        endedSessions = await revokeAllSessionsIn(tx, { userId: id, reason, now: deps.now() });
      }
      const auditAfter = { ...after, ...(passwordHash ? { passwordChanged: true } : {}) };
      await recordAudit(tx, actor, {
        action: "update",
        resourceType: "user",
        resourceId: id,
        before: toUser(before),
        after: auditAfter,
      });
      return after!;
    });
    await forgetCachedSessions(deps, endedSessions);
    return updated;
  } catch (error) {
    duplicateUserError(error);
  }
}

/** Deletes a user with their tokens; the audit trail keeps their name. */
export async function deleteUser(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  const endedSessions = await withTransaction(deps.db, async (tx) => {
    const before = await findUserById(tx, id);
    if (!before) throw new NotFoundError("user", id);
    await assertAdminRemains(tx, before, null);
    // Revoked before the row goes (its sessions go with it), so the cache entries to drop are known.
    const ended = await revokeAllSessionsIn(tx, { userId: id, reason: "account_deleted", now: deps.now() });
    await deleteUserRow(tx, id);
    await recordAudit(tx, actor, { action: "delete", resourceType: "user", resourceId: id, before: toUser(before) });
    return ended;
  });
  await forgetCachedSessions(deps, endedSessions);
}

/**
 * On first start with an empty database, creates the administrator from STATUS_ADMIN_USERNAME/PASSWORD. Without a
 * password one is generated and returned so the caller can print it once; it is stored only as a hash.
 */
export async function ensureInitialAdmin(
  deps: AppDeps,
): Promise<{ username: string; generatedPassword?: string } | undefined> {
  if ((await countUsers(deps.db)) > 0) return undefined;
  const { adminUsername, adminPassword, adminEmail } = deps.config.bootstrap;
  const password = adminPassword ?? randomBytes(15).toString("base64url");
  try {
    await createUser(deps, null, {
      username: adminUsername,
      password,
      role: "ADMIN",
      ...(adminEmail ? { email: adminEmail } : {}),
    });
  } catch (error) {
    // Another instance bootstrapped at the same moment.
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  return { username: adminUsername, ...(adminPassword ? {} : { generatedPassword: password }) };
}

/** The oldest administrator, who the demo seed acts as. */
export async function findFirstAdmin(deps: AppDeps): Promise<User> {
  const page = await listUsers(deps.db, { page: 1, pageSize: 1, sort: "createdAt", role: "ADMIN" });
  const admin = page.items[0];
  if (!admin) throw new NotFoundError("administrator");
  return admin;
}

/** Ends every open session of a user (ADMIN; audited with the count). Personal API tokens stay valid. */
export async function endUserSessions(deps: AppDeps, actor: Actor, userId: string): Promise<EndedSessions> {
  if (!(await findUserById(deps.db, userId))) throw new NotFoundError("user", userId);
  const ended = await endAllSessions(deps, userId, "revoked_by_admin");
  await recordAudit(deps.db, actor, {
    action: "revoke",
    resourceType: "user",
    resourceId: userId,
    after: { sessionsEnded: ended },
  });
  return { ended };
}
