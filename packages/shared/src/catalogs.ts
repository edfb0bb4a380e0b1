import { z } from "zod";
import {
  IdSchema,
  IsoDateTimeSchema,
  PageQueryShape,
  SearchTermSchema,
  pageSchema,
  sortSchema,
  endAfterStart,
  END_AFTER_START,
} from "./common.ts";
import { ArchivedFilterSchema, ArchiveSchema } from "./archive.ts";

/** A catalog starts as a draft and, once finalized, is evaluated; it never returns to draft. */
export const CatalogStatusSchema = z.enum(["draft", "finalized"]);
export type CatalogStatus = z.infer<typeof CatalogStatusSchema>;

/** An IANA time zone such as `Europe/Madrid`; windows of the catalog's controls close at midnight there. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => isKnownTimeZone(zone), "Must be an IANA time zone such as Europe/Madrid");

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The day weekly windows start on, at local midnight in the catalog's time zone: ISO numbering, 1 = Monday … 7 =
 * Sunday.
 */
export const FirstDayOfWeekSchema = z
  .number()
  .int()
  .min(1, "Must be 1 (Monday) to 7 (Sunday)")
  .max(7, "Must be 1 (Monday) to 7 (Sunday)");

export const CatalogSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  startDate: IsoDateTimeSchema.nullable(),
  endDate: IsoDateTimeSchema.nullable(),
  timeZone: z.string(),
  firstDayOfWeek: FirstDayOfWeekSchema.describe("Weekly windows start on this day (1 = Monday … 7 = Sunday)"),
  status: CatalogStatusSchema,
  finalizedAt: IsoDateTimeSchema.nullable(),
  controlCount: z.number().int().min(0),
  archive: ArchiveSchema.nullable().describe(
    "Set while the catalog is archived: its controls are unscheduled and read-only, its record stays readable",
  ),
  createdBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Catalog = z.infer<typeof CatalogSchema>;

const CatalogFieldsShape = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000),
  startDate: IsoDateTimeSchema.nullable(),
  endDate: IsoDateTimeSchema.nullable(),
  timeZone: TimeZoneSchema,
  firstDayOfWeek: FirstDayOfWeekSchema,
};

export const CreateCatalogBodySchema = z
  .strictObject({
    name: CatalogFieldsShape.name,
    description: CatalogFieldsShape.description.default(""),
    startDate: CatalogFieldsShape.startDate.default(null),
    endDate: CatalogFieldsShape.endDate.default(null),
    timeZone: CatalogFieldsShape.timeZone.default("UTC"),
    firstDayOfWeek: CatalogFieldsShape.firstDayOfWeek.default(1),
  })
  .refine(endAfterStart, END_AFTER_START);
export type CreateCatalogBody = z.infer<typeof CreateCatalogBodySchema>;

/** Partial update; `status: "finalized"` finalizes the catalog and its controls. */
export const UpdateCatalogBodySchema = z
  .strictObject({
    name: CatalogFieldsShape.name.optional(),
    description: CatalogFieldsShape.description.optional(),
    startDate: CatalogFieldsShape.startDate.optional(),
    endDate: CatalogFieldsShape.endDate.optional(),
    timeZone: CatalogFieldsShape.timeZone.optional(),
    firstDayOfWeek: CatalogFieldsShape.firstDayOfWeek.optional(),
    status: CatalogStatusSchema.optional(),
  })
  .refine(endAfterStart, END_AFTER_START);
export type UpdateCatalogBody = z.infer<typeof UpdateCatalogBodySchema>;

export const CatalogListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["name", "createdAt", "updatedAt", "startDate"], "name"),
  q: SearchTermSchema,
  status: CatalogStatusSchema.optional(),
  archived: ArchivedFilterSchema,
});
export type CatalogListQuery = z.infer<typeof CatalogListQuerySchema>;

/**
 * `?cascade=true` deletes a draft catalog together with its controls; without it a non-empty catalog answers 409. A
 * finalized catalog, or one with points, is never deleted (409 `archive_required`): it is archived.
 */
export const DeleteCatalogQuerySchema = z.strictObject({
  cascade: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});
export type DeleteCatalogQuery = z.infer<typeof DeleteCatalogQuerySchema>;

export const CatalogPageSchema = pageSchema(CatalogSchema);
