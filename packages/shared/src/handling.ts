import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";
import { RoleSchema } from "./roles.ts";

/** A user as other records name them: enough to show and pick, never an account's private fields. */
export const UserRefSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string().nullable(),
});
export type UserRef = z.infer<typeof UserRefSchema>;

/** A user who can be picked as an owner, watcher or approver, with the role that decides what they may approve. */
export const PersonSchema = UserRefSchema.extend({ role: RoleSchema });
export type Person = z.infer<typeof PersonSchema>;
export const PersonListSchema = z.object({ items: z.array(PersonSchema) });
export type PersonList = z.infer<typeof PersonListSchema>;

export const PersonListQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional().describe("Part of a username or display name"),
});
export type PersonListQuery = z.infer<typeof PersonListQuerySchema>;

/** `PUT /controls/:id/owner`: who owns the control from now on. */
export const SetOwnerBodySchema = z.strictObject({ userId: IdSchema });
export type SetOwnerBody = z.infer<typeof SetOwnerBodySchema>;

/** `POST /controls/:id/watchers`: who watches it (anyone may add themself; DEVELOPER and above anyone). */
export const AddWatcherBodySchema = z.strictObject({ userId: IdSchema });
export type AddWatcherBody = z.infer<typeof AddWatcherBodySchema>;

export const ControlWatcherParamsSchema = z.strictObject({ id: IdSchema, userId: IdSchema });
export type ControlWatcherParams = z.infer<typeof ControlWatcherParamsSchema>;

/** A control's owner and watchers, as `GET /controls/:id` carries them. */
export const ControlOwnershipSchema = z.object({
  owner: UserRefSchema.nullable(),
  watchers: z.array(UserRefSchema),
});
export type ControlOwnership = z.infer<typeof ControlOwnershipSchema>;

/** Free text of a comment, a justification or a reason: trimmed, never empty. */
const textOf = (max: number) => z.string().trim().min(1, "Must not be empty").max(max, `At most ${max} characters`);

/** A comment on a point. Comments are never edited or deleted: a correction is a new comment. */
export const PointCommentSchema = z.object({
  id: IdSchema,
  pointId: IdSchema,
  controlId: IdSchema,
  body: z.string(),
  authorId: IdSchema.nullable(),
  authorName: z.string(),
  createdAt: IsoDateTimeSchema,
});
export type PointComment = z.infer<typeof PointCommentSchema>;
export const PointCommentListSchema = z.object({ items: z.array(PointCommentSchema) });
export type PointCommentList = z.infer<typeof PointCommentListSchema>;

export const CreatePointCommentBodySchema = z.strictObject({ body: textOf(4000) });
export type CreatePointCommentBody = z.infer<typeof CreatePointCommentBodySchema>;

/** Who acknowledged a failing point, and when: once per point, never changed. */
export const PointAcknowledgementSchema = z.object({
  pointId: IdSchema,
  controlId: IdSchema,
  acknowledgedBy: IdSchema.nullable(),
  acknowledgedByName: z.string(),
  acknowledgedAt: IsoDateTimeSchema,
});
export type PointAcknowledgement = z.infer<typeof PointAcknowledgementSchema>;

/**
 * An accepted exception for a failing point: the point stays a failure in the record and in exports; the exception says
 * it is accepted, by whom, why and until when. Revoking records who, when and why; nothing is deleted.
 */
export const PointExceptionSchema = z.object({
  id: IdSchema,
  pointId: IdSchema,
  controlId: IdSchema,
  windowStart: IsoDateTimeSchema.describe("The window of the point it accepts"),
  windowEnd: IsoDateTimeSchema,
  scope: z.record(z.string(), z.unknown()),
  justification: z.string(),
  approverId: IdSchema.nullable(),
  approverName: z.string(),
  expiresAt: IsoDateTimeSchema,
  createdBy: IdSchema.nullable(),
  createdByName: z.string(),
  createdAt: IsoDateTimeSchema,
  revokedAt: IsoDateTimeSchema.nullable(),
  revokedByName: z.string().nullable(),
  revokeReason: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]).describe("At the server's clock"),
});
export type PointException = z.infer<typeof PointExceptionSchema>;
export const PointExceptionListSchema = z.object({ items: z.array(PointExceptionSchema) });
export type PointExceptionList = z.infer<typeof PointExceptionListSchema>;

export const CreatePointExceptionBodySchema = z.strictObject({
  pointId: IdSchema.describe("A failing point of this control"),
  justification: textOf(2000),
  approverId: IdSchema.describe("A user who may approve: DEVELOPER or ADMIN, not disabled"),
  expiresAt: IsoDateTimeSchema.describe("When the exception ends; must be in the future"),
});
export type CreatePointExceptionBody = z.infer<typeof CreatePointExceptionBodySchema>;

export const RevokePointExceptionBodySchema = z.strictObject({ reason: textOf(2000) });
export type RevokePointExceptionBody = z.infer<typeof RevokePointExceptionBodySchema>;

export const ControlExceptionParamsSchema = z.strictObject({ id: IdSchema, exceptionId: IdSchema });
export type ControlExceptionParams = z.infer<typeof ControlExceptionParamsSchema>;

/**
 * How a point is being handled, as points and computations carry it: acknowledged (by whom, when), its accepted
 * exception (the newest not revoked; `isActive` until it expires, at the server's clock) and how many comments it has.
 */
export const PointHandlingSchema = z.object({
  acknowledged: z.object({ byName: z.string(), at: IsoDateTimeSchema }).nullable(),
  exception: z
    .object({ id: IdSchema, expiresAt: IsoDateTimeSchema, approverName: z.string(), isActive: z.boolean() })
    .nullable(),
  commentCount: z.number().int().min(0),
});
export type PointHandling = z.infer<typeof PointHandlingSchema>;

/** One control of "My controls": owned or watched by the signed-in user, with its state now. */
export const MyControlSchema = z.object({
  controlId: IdSchema,
  controlName: z.string(),
  catalogId: IdSchema,
  catalogName: z.string(),
  isOwner: z.boolean(),
  isWatching: z.boolean(),
  state: z.enum(["passing", "failing", "stale", "not_evaluated", "not_applicable"]),
  lastEvaluatedAt: IsoDateTimeSchema.nullable(),
  activeExceptionCount: z.number().int().min(0),
  unhandledFailureCount: z
    .number()
    .int()
    .min(0)
    .describe("Failing points with neither an acknowledgement nor an active exception"),
});
export type MyControl = z.infer<typeof MyControlSchema>;
export const MyControlListSchema = z.object({ items: z.array(MyControlSchema) });
export type MyControlList = z.infer<typeof MyControlListSchema>;
