import { z } from "zod";
import { IsoDateTimeSchema } from "./common.ts";

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
