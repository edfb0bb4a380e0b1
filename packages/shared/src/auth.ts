import { z } from "zod";
import { RoleSchema } from "./roles.ts";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";

/**
 * `session: "token"` (the default, for integrators) answers with the tokens in the body;
 * `session: "cookie"` (the SPA) sets httpOnly cookies and keeps the tokens out of the body and of scripts.
 */
export const SessionModeSchema = z.enum(["token", "cookie"]);
export type SessionMode = z.infer<typeof SessionModeSchema>;

export const LoginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(60),
  password: z.string().min(1).max(1024),
  session: SessionModeSchema.default("token"),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** The signed-in account as `GET /auth/me` shows it. */
export const MeSchema = z.object({
  id: IdSchema,
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: RoleSchema,
  githubLogin: z.string().nullable(),
  authMethod: z.enum(["session", "api_token"]),
  /** Set by an administrator's password reset: the SPA shows only the password change until it is done. */
  mustChangePassword: z.boolean().default(false),
});
export type Me = z.infer<typeof MeSchema>;

export const TokenPairSchema = z.object({
  tokenType: z.literal("Bearer"),
  accessToken: z.string(),
  expiresIn: z.number().int().describe("Seconds until the access token expires"),
  refreshToken: z.string(),
  refreshExpiresIn: z.number().int(),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

/** Answer of login and refresh: the user, and the tokens only in token mode. */
export const SessionResponseSchema = z.object({
  user: MeSchema,
  expiresAt: IsoDateTimeSchema,
  tokens: TokenPairSchema.optional(),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** Token mode sends the refresh token in the body; cookie mode sends nothing and relies on the cookie. */
export const RefreshBodySchema = z.strictObject({
  refreshToken: z.string().min(10).max(512).optional(),
});
export type RefreshBody = z.infer<typeof RefreshBodySchema>;

/** Passwords that meet the length rule yet are the first ones any guesser tries. */
const COMMON_PASSWORDS = new Set([
  "1234567890",
  "12345678910",
  "123456789012",
  "0987654321",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "qwertyuiop",
  "qwertyuiop1",
  "qwerty1234",
  "qwerty12345",
  "1q2w3e4r5t",
  "asdfghjkl1",
  "iloveyou12",
  "letmein123",
  "welcome123",
  "changeme123",
  "administrator",
  "abcdefghij",
  "abcd123456",
]);

/**
 * A password someone chooses for themselves: at least 10 characters, not a well-known one, not one character repeated
 * or a run of only two. (The API also refuses the current password and one containing the username.)
 */
export const NewPasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(1024)
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), "This password is too common; choose another")
  .refine((value) => new Set(value).size >= 4, "Use at least 4 different characters");

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

/**
 * An administrator's reset of another user's password: a password they choose, or none for a generated temporary one.
 * Either way the user must change it at their next sign-in.
 */
export const ResetPasswordBodySchema = z.strictObject({
  password: NewPasswordSchema.optional(),
});
export type ResetPasswordBody = z.infer<typeof ResetPasswordBodySchema>;

/** Answer of a reset: the generated temporary password (shown once), or null when the administrator set one. */
export const PasswordResetSchema = z.object({
  temporaryPassword: z.string().nullable(),
  endedSessions: z.number().int().min(0),
});
export type PasswordReset = z.infer<typeof PasswordResetSchema>;

/** Which sign-in methods the login page should offer. */
export const AuthProvidersSchema = z.object({
  local: z.literal(true),
  github: z.boolean(),
  /** Single sign-on through the OpenID Connect provider, with the name the login button shows; absent when off. */
  oidc: z.object({ name: z.string() }).nullable().optional(),
});
export type AuthProviders = z.infer<typeof AuthProvidersSchema>;

/** Names of the cookies the API sets in cookie mode, shared so the SPA can read the CSRF cookie. */
export const AUTH_COOKIES = {
  access: "status_at",
  refresh: "status_rt",
  csrf: "status_csrf",
} as const;
export const CSRF_HEADER = "x-csrf-token";

/** One of the signed-in user's sessions (`GET /auth/sessions`): where and how it signed in, and its last use. */
export const UserSessionSchema = z.object({
  id: IdSchema,
  authMethod: z.enum(["password", "github", "oidc"]),
  /** A short name such as "Firefox on Linux"; null when the client sent no user agent. */
  deviceLabel: z.string().nullable(),
  userAgent: z.string().nullable(),
  ipAddress: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
  lastUsedAt: IsoDateTimeSchema.describe("The sign-in or the last refresh"),
  expiresAt: IsoDateTimeSchema,
  secondFactorVerified: z.boolean(),
  /** The session this request was made with. */
  isCurrent: z.boolean(),
});
export type UserSession = z.infer<typeof UserSessionSchema>;

export const UserSessionListSchema = z.object({ items: z.array(UserSessionSchema) });
export type UserSessionList = z.infer<typeof UserSessionListSchema>;

/** Answer of ending sessions in bulk: how many were still open. */
export const EndedSessionsSchema = z.object({ ended: z.number().int().min(0) });
export type EndedSessions = z.infer<typeof EndedSessionsSchema>;
