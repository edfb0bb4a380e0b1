import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, sortSchema } from "./common.ts";

export const AuditActionSchema = z.enum(["create", "update", "delete", "login", "revoke", "archive", "restore"]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** The kinds of resource whose changes are audited. */
export const AuditResourceSchema = z.enum([
  "user",
  "api_token",
  "catalog",
  "control",
  "control_version",
  "scope",
  "scope_set",
  "session",
  "registry_publication",
  "registry_sync",
  "dashboard",
  "dashboard_folder",
  "control_panel",
  "assistant",
  "assistant_document",
  "conversation",
  "ai_settings",
  "encryption_key",
  "retention",
  "second_factor_policy",
  "framework",
  "control_requirement",
  "control_owner",
  "control_watcher",
  "point_comment",
  "point_acknowledgement",
  "point_exception",
  "webhook",
  "requirement_applicability",
  "run",
  "evidence_mapping",
  "mashup_limits",
]);
export type AuditResource = z.infer<typeof AuditResourceSchema>;

/** One change: who did what to which resource, when, with the state before and after. */
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: IsoDateTimeSchema,
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  action: AuditActionSchema,
  resourceType: AuditResourceSchema,
  resourceId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
  tokenId: IdSchema.nullable().describe("The personal API token the change was made with"),
  tokenScopes: z.array(z.string()).nullable().describe("That token's scopes then; null when it had full access"),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["at"], "-at"),
  actorId: IdSchema.optional(),
  resourceType: AuditResourceSchema.optional(),
  resourceId: z.string().max(100).optional(),
  action: AuditActionSchema.optional(),
  from: IsoDateTimeSchema.optional(),
  to: IsoDateTimeSchema.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;

export const AuditPageSchema = pageSchema(AuditEntrySchema);
