import type { SecondFactorChallenge } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { InvalidSecondFactorError, UnauthenticatedError } from "../../errors.ts";
import { randomToken } from "../../lib/random-token.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import {
  confirmTotpEnrolment,
  hasSecondFactor,
  isSecondFactorRequired,
  startTotpEnrolment,
  verifySecondFactor,
} from "../second-factor/index.ts";
import type { SessionClient } from "../sessions/index.ts";
import { findAccountById, type UserRecord } from "../users/index.ts";
import { clearLoginFailures, recordLoginFailure } from "./login-throttle.ts";
import {
  consumePendingLogin,
  countPendingLoginFailure,
  deleteExpiredPendingLogins,
  findUsablePendingLogin,
  insertPendingLogin,
  type PendingLoginRow,
} from "./pending-logins.repository.ts";

/** How long the second step of a sign-in may take, and how many wrong codes end it (a new password is then due). */
export const PENDING_LOGIN_TTL_SECONDS = 300;
export const PENDING_LOGIN_MAX_FAILED_ATTEMPTS = 5;

/** Which second step a user owes after the right password: none, their code, or an enrolment their role requires. */
export async function secondStepFor(deps: AppDeps, user: UserRecord): Promise<"verify" | "enrol" | null> {
  if (await hasSecondFactor(deps, user.id)) return "verify";
  return (await isSecondFactorRequired(deps, user.role)) ? "enrol" : null;
}

/** Issues the short-lived, single-use token that stands for "password proved, second factor due". */
export async function issueSecondFactorChallenge(
  deps: AppDeps,
  input: { user: UserRecord; purpose: "verify" | "enrol"; authMethod: "password" | "github"; client: SessionClient },
): Promise<SecondFactorChallenge> {
  const pendingToken = `spl_${randomToken()}`;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + PENDING_LOGIN_TTL_SECONDS * 1000);
  await deleteExpiredPendingLogins(deps.db, now);
  await insertPendingLogin(deps.db, {
    tokenHash: sha256Hex(pendingToken),
    userId: input.user.id,
    purpose: input.purpose,
    authMethod: input.authMethod,
    failedAttempts: 0,
    ipAddress: input.client.ipAddress ?? null,
    userAgent: input.client.userAgent?.slice(0, 512) ?? null,
    now,
    expiresAt,
  });
  return { secondFactor: { pendingToken, purpose: input.purpose, expiresAt: expiresAt.toISOString() } };
}

async function usablePendingLogin(
  deps: AppDeps,
  pendingToken: string,
): Promise<{ pending: PendingLoginRow; user: UserRecord; tokenHash: string }> {
  const tokenHash = sha256Hex(pendingToken);
  const pending = await findUsablePendingLogin(deps.db, {
    tokenHash,
    now: deps.now(),
    maxFailedAttempts: PENDING_LOGIN_MAX_FAILED_ATTEMPTS,
  });
  const user = pending ? await findAccountById(deps.db, pending.userId) : undefined;
  if (!pending || !user)
    throw new UnauthenticatedError("pending_login_invalid", "This sign-in has expired or was used; sign in again");
  if (user.isDisabled) throw new UnauthenticatedError("account_disabled", "This account is disabled");
  return { pending, user, tokenHash };
}

/** The TOTP enrolment of a sign-in whose role requires a second factor the user has not set up. */
export async function enrolmentForPendingLogin(deps: AppDeps, pendingToken: string) {
  const { pending, user } = await usablePendingLogin(deps, pendingToken);
  if (pending.purpose !== "enrol")
    throw new UnauthenticatedError("pending_login_invalid", "This sign-in asks for a code, not an enrolment");
  return startTotpEnrolment(deps, { userId: user.id, username: user.username });
}

/**
 * Checks the second step of a sign-in: a TOTP or recovery code (`verify`), or the first code of the enrolment
 * (`enrol`, which answers the recovery codes). A wrong code counts as a failed sign-in for the address and wears the
 * token out after five. Answers the user and how they signed in, for the caller to start the session.
 */
export async function passSecondStep(
  deps: AppDeps,
  input: { pendingToken: string; code: string; ip: string },
): Promise<{ user: UserRecord; authMethod: "password" | "github"; recoveryCodes?: string[] }> {
  const { pending, user, tokenHash } = await usablePendingLogin(deps, input.pendingToken);
  let recoveryCodes: string[] | undefined;
  try {
    if (pending.purpose === "enrol") {
      recoveryCodes = (await confirmTotpEnrolment(deps, { userId: user.id, code: input.code, actor: null }))
        .recoveryCodes;
    } else if (!(await verifySecondFactor(deps, { userId: user.id, code: input.code }))) {
      throw new InvalidSecondFactorError();
    }
  } catch (error) {
    if (error instanceof InvalidSecondFactorError) {
      await countPendingLoginFailure(deps.db, tokenHash);
      await recordLoginFailure(deps.db, deps.config.auth.login, { username: user.username, ip: input.ip }, deps.now());
    }
    throw error;
  }
  if (!(await consumePendingLogin(deps.db, { tokenHash, now: deps.now() })))
    throw new UnauthenticatedError("pending_login_invalid", "This sign-in has expired or was used; sign in again");
  await clearLoginFailures(deps.db, { username: user.username, ip: input.ip });
  return { user, authMethod: pending.authMethod, ...(recoveryCodes ? { recoveryCodes } : {}) };
}
