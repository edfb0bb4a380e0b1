import { z } from "zod";
import { IsoDateTimeSchema } from "./common.ts";

/**
 * What retention can prune, each with its own period. `points` (the hash-chained record) is listed with its size but
 * is always kept. Webhook deliveries join this list when they exist.
 */
export const RetentionCategorySchema = z.enum([
  "runs",
  "computation_detail",
  "audit_log",
  "conversations",
  "sessions",
  "evidence_packs",
  "event_outbox",
  "import_jobs",
]);
export type RetentionCategory = z.infer<typeof RetentionCategorySchema>;

/** What each category covers, its default and its shortest period (days; null = forever). */
export const RETENTION_POLICY: Record<
  RetentionCategory,
  { label: string; description: string; defaultKeepDays: number | null; minKeepDays: number }
> = {
  runs: {
    label: "Runs",
    description:
      "Finished runs whose result backs no point (failed, errored, cancelled, superseded or provisional), with their computations and evidences. Runs behind a point stay with it.",
    defaultKeepDays: 400,
    minKeepDays: 30,
  },
  computation_detail: {
    label: "Computation detail and evidences",
    description:
      "Each computation's evidences and raw flow output. The computation, its counts, compliance, evidence digest and its point stay, so the chain still verifies.",
    defaultKeepDays: 400,
    minKeepDays: 30,
  },
  audit_log: {
    label: "Audit log",
    description: "Who changed what and when. Pruning it is itself audited; at least a year is kept.",
    defaultKeepDays: null,
    minKeepDays: 365,
  },
  conversations: {
    label: "Assistant conversations",
    description: "Conversations with the assistants, counted from their last message.",
    defaultKeepDays: null,
    minKeepDays: 1,
  },
  sessions: {
    label: "Sessions",
    description:
      "Sign-in sessions, removed this long after they ended (signed out, revoked or expired). Expired refresh tokens always go.",
    defaultKeepDays: 90,
    minKeepDays: 7,
  },
  evidence_packs: {
    label: "Evidence packs",
    description:
      "The signed ZIP files of evidence packs, counted from when they were built. An expired pack's file is deleted and the pack marked expired; its row, digests and requester stay as the record of what was handed out.",
    defaultKeepDays: 365,
    minKeepDays: 30,
  },
  event_outbox: {
    label: "Delivered events",
    description:
      "Events every channel has taken (webhooks, e-mail). Kept: events a webhook delivery refers to, and the newest event of each kind per control and scope, which the alerting rules compare against.",
    defaultKeepDays: 90,
    minKeepDays: 7,
  },
  import_jobs: {
    label: "Framework import jobs",
    description:
      "Finished framework import jobs (succeeded or failed) with the document they carried. The frameworks they imported stay.",
    defaultKeepDays: 90,
    minKeepDays: 7,
  },
};

export const RetentionCategoryStatusSchema = z.object({
  category: z.union([RetentionCategorySchema, z.literal("points")]),
  label: z.string(),
  description: z.string(),
  keepDays: z.number().int().nullable(),
  defaultKeepDays: z.number().int().nullable(),
  /** Shortest period an ADMIN may set; null for `points`, which cannot be pruned. */
  minKeepDays: z.number().int().nullable(),
  isEditable: z.boolean(),
  /** Rows of the category's main table (e.g. evidences for computation detail). */
  rowCount: z.number().int().min(0),
  rowLabel: z.string(),
  /** From the planner's statistics on large tables, where an exact count would scan them. */
  isRowCountEstimated: z.boolean(),
  /** On-disk size of the category's tables with their indexes and TOAST (pg_total_relation_size). */
  sizeBytes: z.number().int().min(0),
  updatedAt: IsoDateTimeSchema.nullable(),
});
export type RetentionCategoryStatus = z.infer<typeof RetentionCategoryStatusSchema>;

export const RetentionRunSchema = z.object({
  startedAt: IsoDateTimeSchema,
  finishedAt: IsoDateTimeSchema.nullable(),
  /** Rows removed per kind in that run, e.g. `{ "runs": 120, "evidences": 5400 }`. */
  pruned: z.record(z.string(), z.number().int().min(0)),
});
export type RetentionRun = z.infer<typeof RetentionRunSchema>;

export const RetentionSchema = z.object({
  categories: z.array(RetentionCategoryStatusSchema),
  /** The last daily pruning; null before the first. */
  lastRun: RetentionRunSchema.nullable(),
});
export type Retention = z.infer<typeof RetentionSchema>;

/** Days to keep one category: at least its minimum, or null for forever. */
function keepDaysFor(category: RetentionCategory) {
  const { minKeepDays, label } = RETENTION_POLICY[category];
  return z
    .number()
    .int()
    .min(minKeepDays, `${label}: keep at least ${minKeepDays} days (or forever)`)
    .max(36_500, "At most 36,500 days (100 years); use forever for longer")
    .nullable()
    .optional();
}

/** A partial change: each named category gets a number of days, or null for forever. */
export const UpdateRetentionBodySchema = z
  .strictObject({
    runs: keepDaysFor("runs"),
    computation_detail: keepDaysFor("computation_detail"),
    audit_log: keepDaysFor("audit_log"),
    conversations: keepDaysFor("conversations"),
    sessions: keepDaysFor("sessions"),
    evidence_packs: keepDaysFor("evidence_packs"),
    event_outbox: keepDaysFor("event_outbox"),
    import_jobs: keepDaysFor("import_jobs"),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Name at least one category" });
export type UpdateRetentionBody = z.infer<typeof UpdateRetentionBodySchema>;
