import { z } from "zod";
import { IsoDateTimeSchema } from "./common.ts";
import { SessionModeSchema, SessionResponseSchema } from "./auth.ts";

/** A TOTP code (six digits) or a recovery code (`xxxxx-xxxxx`); spaces and dashes typed by the user are ignored. */
export const SecondFactorCodeSchema = z
  .string()
  .trim()
  .min(6, "Enter the 6-digit code or a recovery code")
  .max(32)
  .transform((value) => value.replace(/[\s-]/g, "").toLowerCase());

/** The signed-in user's second factor (`GET /auth/second-factor`). */
export const SecondFactorStatusSchema = z.object({
  isEnabled: z.boolean(),
  confirmedAt: IsoDateTimeSchema.nullable(),
  recoveryCodesLeft: z.number().int().min(0),
  /** The user's role must sign in with a second factor (then it cannot be turned off). */
  isRequiredByRole: z.boolean(),
});
export type SecondFactorStatus = z.infer<typeof SecondFactorStatusSchema>;

/** A new TOTP secret to scan: the QR code is an SVG data URL made on the server, so nothing leaves for a QR service. */
export const TotpEnrolmentSchema = z.object({
  secret: z.string().describe("Base32, for typing into an app that cannot scan"),
  otpauthUri: z.string(),
  qrCodeDataUrl: z.string().startsWith("data:image/svg+xml;base64,"),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ConfirmTotpBodySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code"),
});
export type ConfirmTotpBody = z.infer<typeof ConfirmTotpBodySchema>;

/** Ten single-use recovery codes, shown once: only their hashes are kept. */
export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()).length(10) });
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

/** Proof for turning the second factor off or renewing recovery codes: a current code. */
export const SecondFactorProofBodySchema = z.strictObject({ code: SecondFactorCodeSchema });
export type SecondFactorProofBody = z.infer<typeof SecondFactorProofBodySchema>;

/** Which roles must sign in with a second factor. */
export const SecondFactorPolicySchema = z.object({
  requiredFor: z.object({ ADMIN: z.boolean(), DEVELOPER: z.boolean(), USER: z.boolean() }),
});
export type SecondFactorPolicy = z.infer<typeof SecondFactorPolicySchema>;
export const UpdateSecondFactorPolicyBodySchema = z.strictObject({
  requiredFor: z.strictObject({
    ADMIN: z.boolean().optional(),
    DEVELOPER: z.boolean().optional(),
    USER: z.boolean().optional(),
  }),
});
export type UpdateSecondFactorPolicyBody = z.infer<typeof UpdateSecondFactorPolicyBodySchema>;

/**
 * Sign-in answered with a challenge instead of a session: the password was right and a second factor is due.
 * `enrol`: the role requires one the user has not set up; fetch the enrolment, then answer with its first code.
 */
export const SecondFactorChallengeSchema = z.object({
  secondFactor: z.object({
    pendingToken: z.string(),
    purpose: z.enum(["verify", "enrol"]),
    expiresAt: IsoDateTimeSchema,
  }),
});
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallengeSchema>;

/** What `POST /auth/login` answers: a session, or a challenge for the second factor. */
export const LoginResponseSchema = z.union([SessionResponseSchema, SecondFactorChallengeSchema]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const PendingLoginBodySchema = z.strictObject({ pendingToken: z.string().min(20).max(200) });
export type PendingLoginBody = z.infer<typeof PendingLoginBodySchema>;

export const CompleteSecondFactorBodySchema = z.strictObject({
  pendingToken: z.string().min(20).max(200),
  code: SecondFactorCodeSchema,
  session: SessionModeSchema.default("token"),
});
export type CompleteSecondFactorBody = z.infer<typeof CompleteSecondFactorBodySchema>;

/** The session a second factor completed; after an enrolment at sign-in, also the recovery codes (shown once). */
export const SecondFactorSessionResponseSchema = SessionResponseSchema.extend({
  recoveryCodes: z.array(z.string()).optional(),
});
export type SecondFactorSessionResponse = z.infer<typeof SecondFactorSessionResponseSchema>;
