import type { ChangePasswordBody, Me, ProblemIssue, SecondFactorChallenge } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import {
  AccountLockedError,
  AppError,
  ConflictError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import {
  findAccountByGithubId,
  findAccountById,
  findAccountByUsername,
  hashPassword,
  linkGithubAccount,
  recordLogin,
  storePasswordHash,
  unlinkGithubAccount,
  verifyPassword,
  type UserRecord,
} from "../users/index.ts";
import { signAccessToken } from "./access-token.ts";
import { hasSecondFactor } from "../second-factor/index.ts";
import { issueSecondFactorChallenge, passSecondStep, secondStepFor } from "./second-factor-login.service.ts";
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-throttle.ts";
import {
  endOtherSessions,
  endSession,
  peekRefreshToken,
  rotateRefreshToken,
  startSession,
  type SessionClient,
} from "../sessions/index.ts";

/** A signed-in session: the user and the tokens for it. */
export interface SignedIn {
  user: UserRecord;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
}

function issueAccessToken(
  deps: AppDeps,
  user: UserRecord,
  sessionId: string,
): { accessToken: string; accessExpiresAt: Date } {
  const ttl = deps.config.auth.accessTokenTtlSeconds;
  const nowMs = deps.now().getTime();
  return {
    accessToken: signAccessToken(
      deps.keys,
      {
        sub: user.id,
        sid: sessionId,
        name: user.username,
        role: user.role,
        ...(user.mustChangePassword ? { pwc: true as const } : {}),
      },
      ttl,
      Math.floor(nowMs / 1000),
    ),
    accessExpiresAt: new Date(nowMs + ttl * 1000),
  };
}

/**
 * Starts a session for a user who has proved who they are (password or GitHub, and the second factor when
 * `isSecondFactorVerified`).
 */
export async function startUserSession(
  deps: AppDeps,
  user: UserRecord,
  method: "password" | "github" | "oidc",
  requestId?: string,
  client: SessionClient = {},
  isSecondFactorVerified = false,
): Promise<SignedIn> {
  if (user.isDisabled) throw new UnauthenticatedError("account_disabled", "This account is disabled");
  const { familyId, refreshToken } = await startSession(deps, {
    userId: user.id,
    authMethod: method,
    isSecondFactorVerified,
    ...client,
  });
  await recordLogin(deps.db, user.id);
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    role: user.role,
    authMethod: "session",
    sessionId: familyId,
    ...(requestId ? { requestId } : {}),
  };
  await recordAudit(deps.db, actor, {
    action: "login",
    resourceType: "session",
    resourceId: familyId,
    after: { method, ...(isSecondFactorVerified ? { secondFactor: true } : {}) },
  });
  return { user, sessionId: familyId, refreshToken, ...issueAccessToken(deps, user, familyId) };
}

/**
 * Verifies a username and password under the sign-in throttle (login-throttle.ts) and starts a session, or answers a
 * challenge when a second factor is due (the failures of the address are forgotten only once it is passed). While the
 * username is locked by a distributed attack, only an account with a second factor can get through; without one, the
 * lock holds.
 */
export async function loginWithPassword(
  deps: AppDeps,
  input: { username: string; password: string; ip: string; userAgent?: string | undefined; requestId?: string },
): Promise<SignedIn | SecondFactorChallenge> {
  const limits = deps.config.auth.login;
  const clearance = await checkLoginAllowed(deps.db, limits, input, deps.now());
  const user = await findAccountByUsername(deps.db, input.username);
  if (clearance.kind === "second_factor_required" && !(user && (await hasSecondFactor(deps, user.id))))
    throw new AccountLockedError(clearance.retryAfterSeconds);
  const isValid = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !isValid) {
    await recordLoginFailure(deps.db, limits, input, deps.now());
    throw new UnauthenticatedError("invalid_credentials", "The username or password is wrong");
  }
  const client = { ipAddress: input.ip, userAgent: input.userAgent };
  const secondStep = user.isDisabled ? null : await secondStepFor(deps, user);
  if (secondStep)
    return issueSecondFactorChallenge(deps, { user, purpose: secondStep, authMethod: "password", client });
  await clearLoginFailures(deps.db, input);
  return startUserSession(deps, user, "password", input.requestId, client);
}

/** The second step of a sign-in: checks the code of a pending login and starts the session. */
export async function completeSecondFactorLogin(
  deps: AppDeps,
  input: { pendingToken: string; code: string; ip: string; userAgent?: string | undefined; requestId?: string },
): Promise<SignedIn & { recoveryCodes?: string[] }> {
  const passed = await passSecondStep(deps, input);
  const client = { ipAddress: input.ip, userAgent: input.userAgent };
  const session = await startUserSession(deps, passed.user, passed.authMethod, input.requestId, client, true);
  return { ...session, ...(passed.recoveryCodes ? { recoveryCodes: passed.recoveryCodes } : {}) };
}

/** Rotates the refresh token and issues a new access token for the same session. */
export async function refreshSession(
  deps: AppDeps,
  refreshToken: string,
  client: SessionClient = {},
): Promise<SignedIn> {
  const rotated = await rotateRefreshToken(deps, refreshToken, client);
  const user = await findAccountById(deps.db, rotated.userId);
  if (!user || user.isDisabled) {
    await endSession(deps, rotated.familyId, "account_disabled");
    throw new UnauthenticatedError("account_disabled", "This account no longer exists or is disabled");
  }
  return {
    user,
    sessionId: rotated.familyId,
    refreshToken: rotated.refreshToken,
    ...issueAccessToken(deps, user, rotated.familyId),
  };
}

/** Ends the session named by the actor's access token or by a refresh token; unknown tokens are ignored. */
export async function logout(deps: AppDeps, input: { actor: Actor | null; refreshToken?: string }): Promise<void> {
  if (input.actor?.sessionId) {
    await endSession(deps, input.actor.sessionId, "logout");
    return;
  }
  if (!input.refreshToken) return;
  const session = await peekRefreshToken(deps, input.refreshToken);
  if (session) await endSession(deps, session.familyId, "logout");
}

export async function getMe(deps: AppDeps, actor: Actor): Promise<Me> {
  const user = await findAccountById(deps.db, actor.userId);
  if (!user) throw new UnauthenticatedError("account_disabled", "This account no longer exists");
  return toMe(user, actor.authMethod);
}

export function toMe(user: UserRecord, authMethod: Actor["authMethod"]): Me {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    githubLogin: user.githubLogin,
    authMethod,
    mustChangePassword: user.mustChangePassword,
  };
}

/** Refusals of a new password that need the account: the current one again, or one containing the username. */
function weakPasswordIssues(user: UserRecord, input: ChangePasswordBody): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  if (input.newPassword === input.currentPassword)
    issues.push({ path: "body.newPassword", message: "Choose a password different from the current one" });
  if (input.newPassword.toLowerCase().includes(user.username.toLowerCase()))
    issues.push({ path: "body.newPassword", message: "The password must not contain your username" });
  return issues;
}

/**
 * Changes the acting user's password and ends all their other sessions: a stolen session dies with the old password,
 * while the one that made the change stays signed in. It also completes a change an administrator's reset asked for.
 * Answers how many sessions ended.
 */
export async function changeOwnPassword(deps: AppDeps, actor: Actor, input: ChangePasswordBody): Promise<number> {
  const user = await findAccountById(deps.db, actor.userId);
  if (!user) throw new NotFoundError("user", actor.userId);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError([{ path: "body.currentPassword", message: "The current password is wrong" }]);
  }
  const issues = weakPasswordIssues(user, input);
  if (issues.length > 0) throw new ValidationError(issues);
  await storePasswordHash(deps.db, user.id, await hashPassword(input.newPassword));
  const ended = await endOtherSessions(deps, {
    userId: user.id,
    keepSessionId: actor.sessionId,
    reason: "password_changed",
  });
  await recordAudit(deps.db, actor, {
    action: "update",
    resourceType: "user",
    resourceId: user.id,
    after: { passwordChanged: true, ...(user.mustChangePassword ? { wasResetByAdmin: true } : {}) },
  });
  return ended;
}

/** The parts of a GitHub profile that sign-in and linking need. */
export interface GithubIdentity {
  id: string;
  login: string;
}

/** Signs in the STATUS user linked to a GitHub account; an unlinked account is refused, never auto-created. */
export async function signInWithGithub(
  deps: AppDeps,
  identity: GithubIdentity,
  requestId?: string,
  client: SessionClient = {},
): Promise<SignedIn | SecondFactorChallenge> {
  const user = await findAccountByGithubId(deps.db, identity.id);
  if (!user) {
    throw new AppError(
      403,
      "github_not_linked",
      "GitHub account not linked",
      `The GitHub account ${identity.login} is not linked to a STATUS account; sign in with your password and link it from your profile`,
    );
  }
  // GitHub proves the account, not the second factor: a user with one (or whose role requires one) still owes it.
  const secondStep = user.isDisabled ? null : await secondStepFor(deps, user);
  if (secondStep) return issueSecondFactorChallenge(deps, { user, purpose: secondStep, authMethod: "github", client });
  return startUserSession(deps, user, "github", requestId, client);
}

/** Links a GitHub account to the signed-in user; one GitHub account links to at most one user. */
export async function linkGithubToUser(deps: AppDeps, actor: Actor, identity: GithubIdentity): Promise<void> {
  const owner = await findAccountByGithubId(deps.db, identity.id);
  if (owner && owner.id !== actor.userId)
    throw new ConflictError("duplicate", `The GitHub account ${identity.login} is linked to another user`);
  await linkGithubAccount(deps.db, actor.userId, identity.id, identity.login);
  await recordAudit(deps.db, actor, {
    action: "update",
    resourceType: "user",
    resourceId: actor.userId,
    after: { githubLogin: identity.login },
  });
}

/**
 * Removes the signed-in user's GitHub link (audited). Refused with 409 `last_sign_in_method` when GitHub is their only
 * way to sign in (no password, no single sign-on): the account would be locked out.
 */
export async function unlinkOwnGithub(deps: AppDeps, actor: Actor): Promise<void> {
  const user = await findAccountById(deps.db, actor.userId);
  if (!user) throw new NotFoundError("user", actor.userId);
  if (!user.githubId) throw new NotFoundError("GitHub link");
  if (!user.passwordHash && !user.hasOidcLink)
    throw new ConflictError(
      "last_sign_in_method",
      "GitHub is your only way to sign in; ask an administrator to set a password for you before unlinking it",
    );
  if (!(await unlinkGithubAccount(deps.db, user.id))) throw new NotFoundError("GitHub link");
  await recordAudit(deps.db, actor, {
    action: "update",
    resourceType: "user",
    resourceId: user.id,
    before: { githubLogin: user.githubLogin },
    after: { githubLogin: null },
  });
}
