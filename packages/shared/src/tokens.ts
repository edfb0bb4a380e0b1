import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";

/**
 * What a scoped personal API token may do, never more than its user's role allows: `read` (safe methods), `runs:write`
 * (start runs, post computations for a waiting run), `evidence:write` (push evidence to push controls), `admin`
 * (everything the user may do). A token without scopes (created before scopes existed) has its user's full access.
 */
export const API_TOKEN_SCOPES = ["read", "runs:write", "evidence:write", "admin"] as const;
export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES);
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;

/** Optional resource limits of a scoped token: when set, the token reaches only these catalogs' or controls' data. */
export const ApiTokenLimitsSchema = z.strictObject({
  catalogIds: z.array(IdSchema).max(100).optional(),
  controlIds: z.array(IdSchema).max(1000).optional(),
});
export type ApiTokenLimits = z.infer<typeof ApiTokenLimitsSchema>;

/** A personal API token as listed: the secret is never shown again, only its visible prefix. */
export const ApiTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  prefix: z.string().describe("The first characters of the token, to recognise it"),
  expiresAt: IsoDateTimeSchema.nullable(),
  lastUsedAt: IsoDateTimeSchema.nullable(),
  revokedAt: IsoDateTimeSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  scopes: z
    .array(ApiTokenScopeSchema)
    .nullable()
    .describe("What the token may do; null for a token created before scopes existed (its user's full access)"),
  limits: ApiTokenLimitsSchema.nullable().describe("The only catalogs and controls the token reaches; null for none"),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const MAX_TOKEN_LIFETIME_DAYS = 366;

export const CreateApiTokenBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(MAX_TOKEN_LIFETIME_DAYS).nullable().default(90),
    /** Omitted: the user's full access, as tokens created before scopes existed. */
    scopes: z
      .array(ApiTokenScopeSchema)
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, "Each scope may appear once")
      .optional(),
    limits: ApiTokenLimitsSchema.refine(
      (limits) => Boolean(limits.catalogIds?.length || limits.controlIds?.length),
      "Name at least one catalog or control, or leave limits out",
    ).optional(),
  })
  .refine((body) => !body.limits || body.scopes, {
    path: ["limits"],
    message: "Limits apply to a scoped token: choose its scopes too",
  });
export type CreateApiTokenBody = z.infer<typeof CreateApiTokenBodySchema>;

/** The answer of token creation, the only time the secret `token` is shown. */
export const CreatedApiTokenSchema = ApiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

export const ApiTokenListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["name", "createdAt", "expiresAt"], "-createdAt"),
  includeRevoked: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});
export type ApiTokenListQuery = z.infer<typeof ApiTokenListQuerySchema>;

export const ApiTokenPageSchema = pageSchema(ApiTokenSchema);
