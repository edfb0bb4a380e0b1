import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";

/** Most days one auditors' export may span: a year and a leap day, so "the last 12 months" always fits. */
export const MAX_ASSESSMENT_PERIOD_DAYS = 367;

/** `from` and `to` of an auditors' export: the windows starting in [from, to) are assessed. */
export const AssessmentPeriodQuerySchema = z
  .strictObject({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })
  .refine((value) => Date.parse(value.to) > Date.parse(value.from), { message: "Must be after from", path: ["to"] })
  .refine((value) => Date.parse(value.to) - Date.parse(value.from) <= MAX_ASSESSMENT_PERIOD_DAYS * 86_400_000, {
    message: `The period spans at most ${MAX_ASSESSMENT_PERIOD_DAYS} days`,
    path: ["to"],
  });
export type AssessmentPeriodQuery = z.infer<typeof AssessmentPeriodQuerySchema>;

/**
 * An OSCAL document as exported: `{ "assessment-results": … }`, `{ "assessment-plan": … }` or
 * `{ "plan-of-action-and-milestones": … }`.
 */
export const OscalExportSchema = z.record(z.string(), z.unknown());
export type OscalExport = z.infer<typeof OscalExportSchema>;

/** `POST /catalogs/:id/evidence-packs`: the period to pack. */
export const CreateEvidencePackBodySchema = AssessmentPeriodQuerySchema;
export type CreateEvidencePackBody = z.infer<typeof CreateEvidencePackBodySchema>;

/**
 * `expired`: retention deleted the ZIP once the evidence_packs period ran out; the row and its digests stay, the
 * record that the pack was handed out.
 */
export const EvidencePackStatusSchema = z.enum(["queued", "running", "done", "failed", "expired"]);

/** An evidence pack: the job building it, then the ZIP's size and digests (`sha256` of the ZIP, of its manifest). */
export const EvidencePackSchema = z.object({
  id: IdSchema,
  catalogId: IdSchema,
  from: IsoDateTimeSchema,
  to: IsoDateTimeSchema,
  status: EvidencePackStatusSchema,
  progress: z.number().int().min(0).max(100),
  stage: z.string(),
  attempts: z.number().int().min(0),
  sizeBytes: z.number().int().min(0).nullable(),
  sha256: z.string().nullable(),
  manifestSha256: z.string().nullable(),
  pointCount: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
  requestedBy: IdSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  completedAt: IsoDateTimeSchema.nullable(),
});
export type EvidencePack = z.infer<typeof EvidencePackSchema>;

export const EvidencePackListSchema = z.object({ items: z.array(EvidencePackSchema) });
export type EvidencePackList = z.infer<typeof EvidencePackListSchema>;

/** The instance's pack-signing public key: Ed25519, as PEM (SPKI) and its id (SHA-256 of the DER, hex). */
export const PackPublicKeySchema = z.object({ algorithm: z.literal("Ed25519"), keyId: z.string(), pem: z.string() });
export type PackPublicKey = z.infer<typeof PackPublicKeySchema>;

/** `GET /catalogs/:id/report?from&to&format`: the period report as a PDF (default) or a standalone HTML page. */
export const PeriodReportQuerySchema = z
  .strictObject({
    from: IsoDateTimeSchema,
    to: IsoDateTimeSchema,
    format: z.enum(["pdf", "html"]).default("pdf"),
  })
  .refine((value) => Date.parse(value.to) > Date.parse(value.from), { message: "Must be after from", path: ["to"] })
  .refine((value) => Date.parse(value.to) - Date.parse(value.from) <= MAX_ASSESSMENT_PERIOD_DAYS * 86_400_000, {
    message: `The period spans at most ${MAX_ASSESSMENT_PERIOD_DAYS} days`,
    path: ["to"],
  });
export type PeriodReportQuery = z.infer<typeof PeriodReportQuerySchema>;

/** `PUT /requirements/:id/applicability`: the Statement of Applicability's decision for one requirement. */
export const SetApplicabilityBodySchema = z.strictObject({
  isApplicable: z.boolean(),
  justification: z.string().trim().min(1, "Say why").max(2000),
});
export type SetApplicabilityBody = z.infer<typeof SetApplicabilityBodySchema>;

export const SoaFormatQuerySchema = z.strictObject({ format: z.enum(["json", "csv", "xlsx"]).default("json") });

/** A control mapped to a requirement, with its current state (newest point of any scope) and last evaluation. */
export const SoaControlSchema = z.object({
  controlId: IdSchema,
  controlName: z.string(),
  catalogName: z.string(),
  relationship: z.string(),
  state: z.enum(["pass", "fail", "not_applicable", "not-evaluated"]),
  lastEvaluatedAt: IsoDateTimeSchema.nullable(),
});

/** One row of a Statement of Applicability: a requirement, whether it applies and why, and the controls behind it. */
export const SoaRowSchema = z.object({
  requirementId: IdSchema,
  requirementKey: z.string(),
  title: z.string(),
  groupKey: z.string().nullable(),
  isApplicable: z.boolean(),
  justification: z.string().nullable(),
  decidedAt: IsoDateTimeSchema.nullable(),
  controls: z.array(SoaControlSchema),
});
export type SoaRow = z.infer<typeof SoaRowSchema>;

export const StatementOfApplicabilitySchema = z.object({
  frameworkId: IdSchema,
  frameworkName: z.string(),
  frameworkVersion: z.string(),
  rows: z.array(SoaRowSchema),
});
export type StatementOfApplicability = z.infer<typeof StatementOfApplicabilitySchema>;
