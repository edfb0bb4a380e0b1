import type { Role } from "@status/shared";
import * as client from "openid-client";
import type { Config } from "../../config.ts";
import type { AppDeps } from "../../deps.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { recordAudit } from "../audit/index.ts";
import { startUserSession, type SignedIn } from "../auth/index.ts";
import { endAllSessions, type SessionClient } from "../sessions/index.ts";
import {
  createOidcAccount,
  findAccountByEmail,
  findAccountByOidcSubject,
  findAccountByUsername,
  linkOidcAccount,
  setAccountRole,
  type UserRecord,
} from "../users/index.ts";
import { describe } from "./oidc-provider-client.ts";
import { OidcRefusal } from "./oidc-refusal.ts";
import { consumeOidcState, insertOidcState } from "./oidc-states.repository.ts";

type OidcConfig = Extract<Config["oidc"], { isEnabled: true }>;
type ProviderConfiguration = () => Promise<client.Configuration>;

/** How long a sign-in may stay at the provider before its state is refused. */
export const OIDC_STATE_TTL_SECONDS = 600;
const ROLE_RANK: Record<Role, number> = { USER: 1, DEVELOPER: 2, ADMIN: 3 };

/** Starts a sign-in: a state (also kept in the browser's cookie), a PKCE verifier, a nonce, and the provider's URL. */
export async function startOidcSignIn(
  deps: AppDeps,
  oidc: OidcConfig,
  providerConfiguration: ProviderConfiguration,
): Promise<{ url: string; state: string }> {
  const configuration = await providerConfiguration();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const now = deps.now();
  await insertOidcState(deps.db, {
    stateHash: sha256Hex(state),
    codeVerifier,
    nonce,
    now,
    expiresAt: new Date(now.getTime() + OIDC_STATE_TTL_SECONDS * 1000),
  });
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: oidc.redirectUrl,
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, state };
}

/** The role the provider's claim gives: the highest mapped value, else the default; null when that is `none`. */
export function roleFromClaims(oidc: OidcConfig, claims: Record<string, unknown>): Role | null {
  const raw = claims[oidc.roleClaim];
  const values = Array.isArray(raw)
    ? raw.filter((value) => typeof value === "string")
    : typeof raw === "string"
      ? [raw]
      : [];
  const mapped = values.map((value) => oidc.roleMapping[value]).filter((role): role is Role => role !== undefined);
  if (mapped.length > 0) return mapped.reduce((best, role) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best));
  return oidc.defaultRole === "none" ? null : oidc.defaultRole;
}

async function exchangeCode(
  providerConfiguration: ProviderConfiguration,
  oidc: OidcConfig,
  input: { callbackUrl: URL; state: string; codeVerifier: string; nonce: string },
): Promise<Record<string, unknown>> {
  const configuration = await providerConfiguration();
  try {
    const tokens = await client.authorizationCodeGrant(
      configuration,
      input.callbackUrl,
      {
        pkceCodeVerifier: input.codeVerifier,
        expectedState: input.state,
        expectedNonce: input.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: oidc.redirectUrl },
    );
    const claims = tokens.claims();
    if (!claims) throw new OidcRefusal("token_invalid", "the provider answered without an ID token");
    return claims;
  } catch (error) {
    if (error instanceof OidcRefusal) throw error;
    // oauth4webapi's checks (audience, expiry, nonce, signature, issuer) and the provider's own refusals carry an
    // OAUTH_* code or are response errors; anything else failed to reach the provider.
    const code = (error as { code?: unknown }).code;
    const isCheck =
      error instanceof client.ResponseBodyError ||
      error instanceof client.AuthorizationResponseError ||
      (typeof code === "string" && code.startsWith("OAUTH_"));
    throw new OidcRefusal(isCheck ? "token_invalid" : "unavailable", describe(error));
  }
}

/**
 * Finishes a sign-in at the callback: the state must be this browser's and unused, the code is exchanged with PKCE,
 * the ID token checked (audience, expiry, nonce, signature), the user found by `sub` (or linked, or created, as
 * configured) and given the role the claims map to, then a session starts. Throws OidcRefusal with the reason.
 */
export async function finishOidcSignIn(
  deps: AppDeps,
  oidc: OidcConfig,
  providerConfiguration: ProviderConfiguration,
  input: { callbackUrl: URL; stateCookie: string | undefined; client: SessionClient; requestId?: string },
): Promise<SignedIn> {
  const params = input.callbackUrl.searchParams;
  const providerError = params.get("error");
  if (providerError)
    throw new OidcRefusal("denied", `${providerError}: ${params.get("error_description") ?? "no description"}`);
  const state = params.get("state");
  if (!state || !input.stateCookie || state !== input.stateCookie)
    throw new OidcRefusal("state_invalid", "the state does not belong to this browser");
  const stored = await consumeOidcState(deps.db, { stateHash: sha256Hex(state), now: deps.now() });
  if (stored.outcome !== "consumed") throw new OidcRefusal("state_invalid", `the state is ${stored.outcome}`);
  const claims = await exchangeCode(providerConfiguration, oidc, { callbackUrl: input.callbackUrl, state, ...stored });
  const role = roleFromClaims(oidc, claims);
  if (!role)
    throw new OidcRefusal(
      "no_role",
      `no value of the ${oidc.roleClaim} claim maps to a role, and OIDC_DEFAULT_ROLE is none`,
    );
  const user = await accountFor(deps, oidc, claims, role);
  if (user.isDisabled) throw new OidcRefusal("account_disabled", `${user.username} is disabled`);
  const current = user.role === role ? user : await changeRole(deps, user, role);
  return startUserSession(deps, current, "oidc", input.requestId, input.client);
}

async function accountFor(
  deps: AppDeps,
  oidc: OidcConfig,
  claims: Record<string, unknown>,
  role: Role,
): Promise<UserRecord> {
  const subject = String(claims.sub);
  const linked = await findAccountByOidcSubject(deps.db, oidc.issuer, subject);
  if (linked) return linked;
  const email = typeof claims.email === "string" ? claims.email : null;
  if (oidc.allowLinkByEmail && email && claims.email_verified === true) {
    const byEmail = await findAccountByEmail(deps.db, email);
    if (byEmail && (await linkOidcAccount(deps.db, { id: byEmail.id, issuer: oidc.issuer, subject }))) {
      await recordAudit(deps.db, null, {
        action: "update",
        resourceType: "user",
        resourceId: byEmail.id,
        after: { oidcLinkedByEmail: email },
      });
      return byEmail;
    }
  }
  if (!oidc.allowCreate)
    throw new OidcRefusal("not_provisioned", `no account is linked to sub ${subject} and OIDC_ALLOW_CREATE is off`);
  const created = await createOidcAccount(deps.db, {
    username: await freeUsername(deps, claims, subject),
    email: email && claims.email_verified === true && !(await findAccountByEmail(deps.db, email)) ? email : null,
    displayName: typeof claims.name === "string" ? claims.name.slice(0, 120) : null,
    role,
    issuer: oidc.issuer,
    subject,
  });
  await recordAudit(deps.db, null, {
    action: "create",
    resourceType: "user",
    resourceId: created.id,
    after: { username: created.username, role, via: "oidc" },
  });
  return created;
}

/** preferred_username (or the e-mail's local part), made valid and unique. */
async function freeUsername(deps: AppDeps, claims: Record<string, unknown>, subject: string): Promise<string> {
  const wanted = [claims.preferred_username, typeof claims.email === "string" ? claims.email.split("@")[0] : undefined]
    .find((value): value is string => typeof value === "string" && value.trim().length > 0)
    ?.trim()
    .slice(0, 50);
  const base = wanted && wanted.length >= 3 ? wanted : `oidc-${subject.slice(0, 40)}`;
  if (!(await findAccountByUsername(deps.db, base))) return base;
  return `${base}-${sha256Hex(subject).slice(0, 6)}`;
}

/** The provider's groups changed the role: store it, and end the user's sessions, which carry the old one. */
async function changeRole(deps: AppDeps, user: UserRecord, role: Role): Promise<UserRecord> {
  await setAccountRole(deps.db, user.id, role);
  await endAllSessions(deps, user.id, "account_changed");
  await recordAudit(deps.db, null, {
    action: "update",
    resourceType: "user",
    resourceId: user.id,
    before: { role: user.role },
    after: { role, via: "oidc" },
  });
  return { ...user, role };
}
