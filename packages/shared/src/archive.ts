import { z } from "zod";
import { ChangeReasonSchema, IdSchema, IsoDateTimeSchema } from "./common.ts";

/** Who archived a catalog or control, when and why; null while it is not archived. */
export const ArchiveSchema = z.object({
  archivedAt: IsoDateTimeSchema,
  archivedBy: IdSchema.nullable(),
  archivedByName: z.string().nullable(),
  reason: z.string(),
});
export type Archive = z.infer<typeof ArchiveSchema>;

/** `POST …/archive` and `POST …/restore`: why, kept in the audit log (and, for an archive, on the resource). */
export const ArchiveBodySchema = z.strictObject({
  reason: ChangeReasonSchema.describe("Why it is archived or restored; kept in the audit log"),
});
export type ArchiveBody = z.infer<typeof ArchiveBodySchema>;

/** The `archived` filter of a list: `false` (default) what is in use, `true` only what is archived, `all` both. */
export const ArchivedFilterSchema = z
  .enum(["true", "false", "all"])
  .default("false")
  .describe("false (default): not archived; true: only archived; all: both");
export type ArchivedFilter = z.infer<typeof ArchivedFilterSchema>;
