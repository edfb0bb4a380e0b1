import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";

/**
 * Scanner report formats STATUS imports as evidence: `ocsf` (OCSF Detection Findings as Prowler writes them, JSON),
 * `junit` (JUnit XML from any test runner), `policyreport` (Kyverno / OpenReports PolicyReport, JSON or YAML) and
 * `sarif` (SARIF 2.1.0).
 */
export const SCANNER_FORMATS = ["ocsf", "junit", "policyreport", "sarif"] as const;
export const ScannerFormatSchema = z.enum(SCANNER_FORMATS);
export type ScannerFormat = z.infer<typeof ScannerFormatSchema>;

/** The content types each format is accepted with (besides `application/octet-stream` for any). */
export const SCANNER_CONTENT_TYPES: Record<ScannerFormat, readonly string[]> = {
  ocsf: ["application/json"],
  junit: ["application/xml", "text/xml"],
  policyreport: ["application/json", "application/yaml", "application/x-yaml", "text/yaml"],
  sarif: ["application/json", "application/sarif+json"],
};

/** A check's outcome as the scanner said it: `skip` becomes a not-applicable evidence, `error` counts against. */
export const ScannerResultOutcomeSchema = z.enum(["pass", "fail", "skip", "error"]);
export type ScannerResultOutcome = z.infer<typeof ScannerResultOutcomeSchema>;

/** One rule or check result read from a scanner file, whatever its format. */
export const ScannerResultSchema = z.object({
  ruleId: z.string(),
  title: z.string(),
  result: ScannerResultOutcomeSchema,
  resource: z.string().optional(),
  message: z.string().optional(),
  /** A few fields of the original record worth keeping with the evidence (severity, level, classname…). */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type ScannerResult = z.infer<typeof ScannerResultSchema>;

/**
 * A catalog's rule → control mapping: `pattern` is a rule id, exactly, or a glob (`*` any run of characters, `?` one
 * character); `format` limits it to one scanner format. The most specific match wins (see the README).
 */
export const EvidenceMappingSchema = z.object({
  id: IdSchema,
  catalogId: IdSchema,
  pattern: z.string(),
  format: ScannerFormatSchema.nullable(),
  controlId: IdSchema,
  controlName: z.string(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type EvidenceMapping = z.infer<typeof EvidenceMappingSchema>;

export const EvidenceMappingListSchema = z.object({ items: z.array(EvidenceMappingSchema) });

export const EvidenceMappingBodySchema = z.strictObject({
  pattern: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .regex(/^[^\s]+$/, "A rule id or glob without spaces"),
  format: ScannerFormatSchema.nullable().default(null),
  controlId: IdSchema,
});
export type EvidenceMappingBody = z.infer<typeof EvidenceMappingBodySchema>;

export const EvidenceMappingParamsSchema = z.strictObject({ id: IdSchema, mappingId: IdSchema });

export const EvidenceImportQuerySchema = z.strictObject({
  format: ScannerFormatSchema,
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true")
    .describe("Answer the preview only: nothing is stored"),
});
export type EvidenceImportQuery = z.infer<typeof EvidenceImportQuerySchema>;

/** The results one control gets from a file, and the value its submission would have. */
export const ImportedControlSchema = z.object({
  controlId: IdSchema,
  controlName: z.string(),
  isPush: z.boolean().describe("Only push controls take imported evidence; the import refuses others (422)"),
  counts: z.object({
    pass: z.number().int(),
    fail: z.number().int(),
    skip: z.number().int(),
    error: z.number().int(),
  }),
  /** Percent of applicable results (pass, fail, error) that passed; null with none applicable. */
  passRatio: z.number().nullable(),
  isAllPass: z.boolean(),
  results: z.array(ScannerResultSchema),
});
export type ImportedControl = z.infer<typeof ImportedControlSchema>;

export const UnmappedRuleSchema = z.object({ ruleId: z.string(), title: z.string(), count: z.number().int() });

/** What a submission through the push endpoint answered for one control. */
export const ImportSubmissionSchema = z.object({
  controlId: IdSchema,
  computationId: IdSchema,
  status: z.string(),
  windowFrom: IsoDateTimeSchema,
  windowTo: IsoDateTimeSchema,
});

export const EvidenceImportResultSchema = z.object({
  format: ScannerFormatSchema,
  /** SHA-256 of the file: the import's idempotency key, so sending the same file again stores nothing new. */
  digest: z.string(),
  tool: z.string().nullable(),
  resultCount: z.number().int(),
  isDryRun: z.boolean(),
  controls: z.array(ImportedControlSchema),
  unmapped: z.array(UnmappedRuleSchema),
  submissions: z.array(ImportSubmissionSchema).describe("Empty for a dry run"),
});
export type EvidenceImportResult = z.infer<typeof EvidenceImportResultSchema>;
