import {
  ControlKindSchema,
  CreateControlBodySchema,
  PeriodSchema,
  UpdateControlBodySchema,
  type Control,
  type Mashup,
} from "@status/shared";
import type { Path, UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { ApiError } from "@/lib/api-client.ts";
import { applyProblemToForm, formErrorMap } from "@/lib/form-errors.ts";
import { isKnownTimeZone, zonedMidnightToIso } from "@/lib/format.ts";
import { parseParamValue, settableInputs, splitParams } from "./control-params.ts";

// What the control form holds, how it becomes an API body, and how the API's problems find their fields.
/** What the inputs hold; dates as `YYYY-MM-DD` in the catalog's zone, declared inputs as text by name. */
const ControlInputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  period: PeriodSchema,
  startDate: z.string(),
  endDate: z.string(),
  /** mashup or push; chosen when creating only (the API keeps it). */
  kind: ControlKindSchema,
  mashupId: z.string(),
  threshold: z.string(),
  /** The grace before the control is stale, in hours (the API counts minutes); blank: one period. */
  staleGraceHours: z.string(),
  inputs: z.record(z.string(), z.string()),
  extraParams: z.string(),
  /** Why a finalized control's result-deciding fields change; sent only when editing. */
  reason: z.string(),
});
export type ControlFormValues = z.infer<typeof ControlInputsSchema>;

export interface FormContext {
  mashups: readonly Mashup[];
  timeZone: string;
  /** The control being edited: the body may carry a reason (a finalized control's result-deciding change needs one). */
  control?: Control | undefined;
}

/** Reads params from the declared inputs of the chosen mashup (blank: the flow's default) and the extra JSON object. */
function readParams(
  values: ControlFormValues,
  mashups: readonly Mashup[],
  ctx: z.RefinementCtx,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const extraText = values.extraParams.trim();
  if (extraText) {
    let extra: unknown;
    try {
      extra = JSON.parse(extraText);
    } catch {
      extra = undefined;
    }
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) {
      ctx.addIssue({ code: "custom", path: ["extraParams"], message: 'Enter a JSON object, e.g. {"org": "acme"}' });
    } else Object.assign(params, extra);
  }
  const mashup = mashups.find((candidate) => candidate.id === values.mashupId);
  for (const input of settableInputs(mashup?.inputs ?? [])) {
    const text = values.inputs[input.name] ?? "";
    if (text.trim() === "") continue;
    const parsed = parseParamValue(text, input);
    if ("error" in parsed) ctx.addIssue({ code: "custom", path: ["inputs", input.name], message: parsed.error });
    else params[input.name] = parsed.value;
  }
  return params;
}

/** The form's values as the API body; the shared schema then checks what the API checks. */
function toControlBody(
  values: ControlFormValues,
  context: FormContext,
  ctx: z.RefinementCtx,
): z.input<typeof CreateControlBodySchema> {
  const zone = isKnownTimeZone(context.timeZone) ? context.timeZone : "UTC";
  const threshold = values.threshold.trim() === "" ? Number.NaN : Number(values.threshold);
  if (!Number.isFinite(threshold))
    ctx.addIssue({ code: "custom", path: ["threshold"], message: "Enter a number between 0 and 100" });
  const graceText = values.staleGraceHours.trim();
  const graceHours = graceText === "" ? null : Number(graceText);
  if (graceHours !== null && !Number.isFinite(graceHours))
    ctx.addIssue({ code: "custom", path: ["staleGraceHours"], message: "Enter a number of hours, or leave it blank" });
  const isPush = values.kind === "push";
  return {
    name: values.name,
    description: values.description,
    period: values.period,
    startDate: values.startDate ? zonedMidnightToIso(values.startDate, zone) : null,
    endDate: values.endDate ? zonedMidnightToIso(values.endDate, zone) : null,
    // A push control has no mashup and no parameters: whatever the hidden fields hold is not sent.
    ...(context.control ? {} : { kind: values.kind }),
    mashupId: isPush ? null : values.mashupId || null,
    params: isPush ? {} : readParams(values, context.mashups, ctx),
    threshold: Number.isFinite(threshold) ? threshold : 0,
    staleGraceMinutes: graceHours === null || !Number.isFinite(graceHours) ? null : Math.round(graceHours * 60),
  };
}

/** The API names the grace in minutes; the form asks for hours. */
function fieldOfPath(path: PropertyKey[]): PropertyKey[] {
  return path[0] === "staleGraceMinutes" ? ["staleGraceHours", ...path.slice(1)] : path;
}

/**
 * One pass over the form: the declared inputs are read (their problems go on their fields) and the body is checked by
 * the shared schema in the same pass, so every problem shows at once rather than the inputs' first.
 */
export function bodySchema<Target extends typeof CreateControlBodySchema | typeof UpdateControlBodySchema>(
  target: Target,
  context: FormContext,
) {
  return ControlInputsSchema.transform((values, ctx): z.output<Target> => {
    const body: z.input<typeof UpdateControlBodySchema> = toControlBody(values, context, ctx);
    // The API decides whether the change needs it (422 `reason_required` lands on the reason field).
    const reason = values.reason.trim();
    if (context.control && reason) body.reason = reason;
    const result = target.safeParse(body, { error: formErrorMap });
    if (result.success) return result.data as z.output<Target>;
    for (const issue of result.error.issues)
      ctx.addIssue({ code: "custom", path: fieldOfPath(issue.path), message: issue.message });
    return z.NEVER;
  });
}

const FIELDS: Path<ControlFormValues>[] = [
  "reason",
  "name",
  "description",
  "period",
  "startDate",
  "endDate",
  "mashupId",
  "threshold",
  "staleGraceHours",
  "extraParams",
];

/** Problem paths name body fields (`body.params.minApprovals`); declared inputs have fields of their own. */
export function placeProblem<T>(
  error: unknown,
  form: UseFormReturn<ControlFormValues, unknown, T>,
  inputNames: readonly string[],
): string | null {
  if (!(error instanceof ApiError)) return applyProblemToForm(error, form.setError, FIELDS);
  const errors = error.errors.map((issue) => {
    if (issue.path === "body.staleGraceMinutes") return { ...issue, path: "staleGraceHours" };
    const param = /^body\.params\.([^.]+)/.exec(issue.path)?.[1];
    if (param === undefined) return issue.path === "body.params" ? { ...issue, path: "extraParams" } : issue;
    return { ...issue, path: inputNames.includes(param) ? `inputs.${param}` : "extraParams" };
  });
  const fields = [...FIELDS, ...inputNames.map((name) => `inputs.${name}` as Path<ControlFormValues>)];
  return applyProblemToForm(new ApiError({ ...error, errors }), form.setError, fields);
}

/** A date-time with offset as the `YYYY-MM-DD` a date input shows, in the catalog's zone. */
function toDateInput(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat("en-CA", { timeZone: isKnownTimeZone(timeZone) ? timeZone : "UTC" }).format(
    new Date(iso),
  );
}

export function initialValues(
  control: Control | undefined,
  mashups: readonly Mashup[],
  timeZone: string,
): ControlFormValues {
  if (!control) {
    return {
      name: "",
      description: "",
      period: "MONTHLY",
      startDate: "",
      endDate: "",
      kind: "mashup",
      mashupId: "",
      threshold: "100",
      staleGraceHours: "",
      inputs: {},
      extraParams: "",
      reason: "",
    };
  }
  const inputs = mashups.find((mashup) => mashup.id === control.mashupId)?.inputs ?? [];
  const { texts, extra } = splitParams(control.params, inputs);
  return {
    name: control.name,
    description: control.description,
    period: control.period,
    startDate: toDateInput(control.startDate, timeZone),
    endDate: toDateInput(control.endDate, timeZone),
    kind: control.kind,
    mashupId: control.mashupId ?? "",
    threshold: String(control.threshold),
    staleGraceHours: control.staleGraceMinutes === null ? "" : String(control.staleGraceMinutes / 60),
    inputs: texts,
    extraParams: extra,
    reason: "",
  };
}
