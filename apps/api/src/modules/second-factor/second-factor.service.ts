import { randomBytes } from "node:crypto";
import QRCode from "qrcode";
import type {
  RecoveryCodes,
  Role,
  SecondFactorPolicy,
  SecondFactorStatus,
  TotpEnrolment,
  UpdateSecondFactorPolicyBody,
} from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { ConflictError, InvalidSecondFactorError } from "../../errors.ts";
import { decryptSecret, encryptSecret } from "../../lib/secret-box.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { decodeBase32, encodeBase32, generateTotpSecret, matchTotpStep, otpauthUri } from "../../lib/totp.ts";
import { recordAudit } from "../audit/index.ts";
import {
  acceptTotpStep,
  countUnusedRecoveryCodes,
  deleteTotp,
  findTotp,
  listRequiredRoles,
  replaceRecoveryCodes,
  upsertPolicy,
  upsertUnconfirmedTotp,
  useRecoveryCode,
} from "./second-factor.repository.ts";

const ISSUER = "STATUS";
const RECOVERY_CODE_COUNT = 10;
const ROLES: Role[] = ["ADMIN", "DEVELOPER", "USER"];

type SecondFactorDeps = Pick<AppDeps, "db" | "config" | "now">;

function nowSeconds(deps: SecondFactorDeps): number {
  return Math.floor(deps.now().getTime() / 1000);
}

/** Ten codes of 50 random bits, written `xxxxx-xxxxx` in base32 (no 0/1/8/9 to misread). */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = encodeBase32(randomBytes(7)).slice(0, 10).toLowerCase();
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

function recoveryCodeHash(code: string): string {
  return sha256Hex(code.replace(/[\s-]/g, "").toLowerCase());
}

/** Whether a user has a confirmed TOTP factor (sign-in then asks for it). */
export async function hasSecondFactor(deps: Pick<AppDeps, "db">, userId: string): Promise<boolean> {
  return Boolean((await findTotp(deps.db, userId))?.confirmedAt);
}

/** Whether the policy requires a second factor of this role. */
export async function isSecondFactorRequired(deps: Pick<AppDeps, "db">, role: Role): Promise<boolean> {
  return (await listRequiredRoles(deps.db)).includes(role);
}

/** The user's second factor as the profile page shows it. */
export async function getSecondFactorStatus(
  deps: SecondFactorDeps,
  user: { userId: string; role: Role },
): Promise<SecondFactorStatus> {
  const totp = await findTotp(deps.db, user.userId);
  const isEnabled = Boolean(totp?.confirmedAt);
  return {
    isEnabled,
    confirmedAt: totp?.confirmedAt ?? null,
    recoveryCodesLeft: isEnabled ? await countUnusedRecoveryCodes(deps.db, user.userId) : 0,
    isRequiredByRole: await isSecondFactorRequired(deps, user.role),
  };
}

/**
 * Starts a TOTP enrolment: a new secret, stored encrypted and unconfirmed (replacing an unconfirmed one), with the
 * otpauth URI and its QR code. 409 when a confirmed factor exists: turn it off first.
 */
export async function startTotpEnrolment(
  deps: SecondFactorDeps,
  user: { userId: string; username: string },
): Promise<TotpEnrolment> {
  const secret = generateTotpSecret();
  const isStored = await upsertUnconfirmedTotp(deps.db, {
    userId: user.userId,
    secretEncrypted: encryptSecret(deps.config.encryption.key, secret),
    now: deps.now(),
  });
  if (!isStored)
    throw new ConflictError("second_factor_enabled", "Two-factor sign-in is already on; turn it off first");
  const uri = otpauthUri({ issuer: ISSUER, account: user.username, secret });
  const svg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, otpauthUri: uri, qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/**
 * Confirms an enrolment with a code from it and answers ten new recovery codes, shown once (audited; `actor` null
 * when it happens during a sign-in, the audit then names the user).
 */
export async function confirmTotpEnrolment(
  deps: SecondFactorDeps,
  input: { userId: string; code: string; actor: Actor | null },
): Promise<RecoveryCodes> {
  const totp = await findTotp(deps.db, input.userId);
  if (!totp) throw new ConflictError("second_factor_not_enabled", "Start the enrolment first");
  if (totp.confirmedAt) throw new ConflictError("second_factor_enabled", "Two-factor sign-in is already on");
  const secret = decodeBase32(decryptSecret(deps.config.encryption.key, totp.secretEncrypted));
  const step = matchTotpStep(secret, input.code, nowSeconds(deps));
  if (step === null) throw new InvalidSecondFactorError();
  const recoveryCodes = newRecoveryCodes();
  await withTransaction(deps.db, async (tx) => {
    if (!(await acceptTotpStep(tx, { userId: input.userId, step, confirmAt: deps.now() })))
      throw new InvalidSecondFactorError();
    await replaceRecoveryCodes(tx, {
      userId: input.userId,
      codeHashes: recoveryCodes.map(recoveryCodeHash),
      now: deps.now(),
    });
    await recordAudit(tx, input.actor, {
      action: "update",
      resourceType: "user",
      resourceId: input.userId,
      after: { secondFactor: "totp_enabled" },
    });
  });
  return { recoveryCodes };
}

/**
 * Checks a second factor of a user with a confirmed TOTP: a code of the previous, current or next step not used
 * before, or an unused recovery code (then used up). Answers which one passed, or null.
 */
export async function verifySecondFactor(
  deps: SecondFactorDeps,
  input: { userId: string; code: string },
): Promise<"totp" | "recovery_code" | null> {
  const totp = await findTotp(deps.db, input.userId);
  if (!totp?.confirmedAt) return null;
  if (/^\d{6}$/.test(input.code)) {
    const secret = decodeBase32(decryptSecret(deps.config.encryption.key, totp.secretEncrypted));
    const step = matchTotpStep(secret, input.code, nowSeconds(deps));
    if (step === null) return null;
    return (await acceptTotpStep(deps.db, { userId: input.userId, step })) ? "totp" : null;
  }
  const isUsed = await useRecoveryCode(deps.db, {
    userId: input.userId,
    codeHash: recoveryCodeHash(input.code),
    now: deps.now(),
  });
  return isUsed ? "recovery_code" : null;
}

/** Turns the acting user's second factor off with a current code; refused while their role requires one. */
export async function disableOwnSecondFactor(deps: SecondFactorDeps, actor: Actor, code: string): Promise<void> {
  if (await isSecondFactorRequired(deps, actor.role))
    throw new ConflictError("second_factor_required", `Your role (${actor.role}) must sign in with a second factor`);
  if (!(await hasSecondFactor(deps, actor.userId)))
    throw new ConflictError("second_factor_not_enabled", "Two-factor sign-in is not on");
  if (!(await verifySecondFactor(deps, { userId: actor.userId, code }))) throw new InvalidSecondFactorError();
  await removeSecondFactor(deps, actor, actor.userId, "totp_disabled");
}

/** Replaces the acting user's recovery codes (the old ones stop working) after a current code; shown once. */
export async function renewRecoveryCodes(deps: SecondFactorDeps, actor: Actor, code: string): Promise<RecoveryCodes> {
  if (!(await verifySecondFactor(deps, { userId: actor.userId, code }))) throw new InvalidSecondFactorError();
  const recoveryCodes = newRecoveryCodes();
  await withTransaction(deps.db, async (tx) => {
    await replaceRecoveryCodes(tx, {
      userId: actor.userId,
      codeHashes: recoveryCodes.map(recoveryCodeHash),
      now: deps.now(),
    });
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "user",
      resourceId: actor.userId,
      after: { secondFactor: "recovery_codes_renewed" },
    });
  });
  return { recoveryCodes };
}

/** ADMIN: removes a user's second factor (a lost phone); they sign in with the password, or enrol if required. */
export async function resetUserSecondFactor(deps: SecondFactorDeps, actor: Actor, userId: string): Promise<void> {
  await removeSecondFactor(deps, actor, userId, "totp_reset_by_admin");
}

async function removeSecondFactor(deps: SecondFactorDeps, actor: Actor, userId: string, change: string) {
  await withTransaction(deps.db, async (tx) => {
    const isRemoved = await deleteTotp(tx, userId);
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "user",
      resourceId: userId,
      after: { secondFactor: isRemoved ? change : "none_to_reset" },
    });
  });
}

export async function getSecondFactorPolicy(deps: Pick<AppDeps, "db">): Promise<SecondFactorPolicy> {
  const required = await listRequiredRoles(deps.db);
  return {
    requiredFor: {
      ADMIN: required.includes("ADMIN"),
      DEVELOPER: required.includes("DEVELOPER"),
      USER: required.includes("USER"),
    },
  };
}

/** ADMIN: which roles must sign in with a second factor; applies at each user's next sign-in (audited). */
export async function updateSecondFactorPolicy(
  deps: SecondFactorDeps,
  actor: Actor,
  input: UpdateSecondFactorPolicyBody,
): Promise<SecondFactorPolicy> {
  const before = await getSecondFactorPolicy(deps);
  await withTransaction(deps.db, async (tx) => {
    for (const role of ROLES) {
      const isRequired = input.requiredFor[role];
      if (isRequired === undefined) continue;
      await upsertPolicy(tx, { role, isRequired, updatedBy: actor.userId, now: deps.now() });
    }
    const after = { ...before.requiredFor, ...input.requiredFor };
    await recordAudit(tx, actor, {
      action: "update",
      resourceType: "second_factor_policy",
      resourceId: null,
      before: before.requiredFor,
      after,
    });
  });
  return getSecondFactorPolicy(deps);
}
