import { randomBytes } from "node:crypto";
import type { PasswordReset, ResetPasswordBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { forgetCachedSessions, revokeAllSessionsIn } from "../sessions/index.ts";
import { hashPassword } from "./passwords.ts";
import { findUserById, setPassword } from "./users.repository.ts";

/** 20 characters from 120 random bits: long enough to survive until the user replaces it at sign-in. */
function temporaryPassword(): string {
  return randomBytes(15).toString("base64url");
}

/**
 * An administrator resets another user's password: the one they chose, or a generated temporary one answered once.
 * The user's sessions end and the account must change its password at the next sign-in (every API route but the
 * password change answers 403 `password_change_required` until then). Audited without the password.
 */
export async function resetUserPassword(
  deps: AppDeps,
  actor: Actor,
  userId: string,
  input: ResetPasswordBody,
): Promise<PasswordReset> {
  if (userId === actor.userId)
    throw new ConflictError("conflict", "Change your own password on your profile page (POST /auth/password)");
  const generated = input.password === undefined ? temporaryPassword() : null;
  const passwordHash = await hashPassword(input.password ?? generated!);
  const ended = await withTransaction(deps.db, async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw new NotFoundError("user", userId);
    await setPassword(tx, { id: userId, passwordHash, mustChange: true });
    const endedSessions = await revokeAllSessionsIn(tx, { userId, reason: "revoked_by_admin", now: deps.now() });
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "user",
      resourceId: userId,
      after: {
        passwordReset: true,
        mustChangePassword: true,
        isTemporary: generated !== null,
        sessionsEnded: endedSessions.length,
      },
    });
    return endedSessions;
  });
  await forgetCachedSessions(deps, ended);
  return { temporaryPassword: generated, endedSessions: ended.length };
}
