import { z } from "zod";

/** How an evidence's value is compared: with a control parameter (`param`) or a literal (`value`); `truthy` alone. */
export const EvidenceRuleOperatorSchema = z.enum(["<=", "<", ">=", ">", "==", "!=", "in", "truthy"]);
export type EvidenceRuleOperator = z.infer<typeof EvidenceRuleOperatorSchema>;

const EvidenceLiteralSchema = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

const ORDERING_OPERATORS = new Set<EvidenceRuleOperator>(["<=", "<", ">=", ">"]);

/**
 * The rule a mashup's flow applies to decide an evidence's pass or fail, as data: `{op: "<=", param:
 * "maxReviewAgeDays"}` compares with the control's parameter, `{op: "==", value: "success"}` with a literal,
 * `{op: "in", value: ["success", "partial"]}` with a list, `{op: "truthy"}` with nothing. The flow still decides;
 * the rule is what people and exports are shown.
 */
export const EvidenceRuleSchema = z
  .strictObject({
    op: EvidenceRuleOperatorSchema,
    param: z.string().min(1).max(100).optional().describe("The mashup input (control parameter) compared with"),
    value: z
      .union([EvidenceLiteralSchema, z.array(EvidenceLiteralSchema).min(1).max(50)])
      .optional()
      .describe("The literal compared with; a list for `in`"),
  })
  .superRefine((rule, context) => {
    const hasParam = rule.param !== undefined;
    const hasValue = rule.value !== undefined;
    if (rule.op === "truthy") {
      if (hasParam || hasValue)
        context.addIssue({ code: "custom", message: "`truthy` compares with nothing: leave out param and value" });
      return;
    }
    if (hasParam === hasValue) {
      context.addIssue({ code: "custom", message: `\`${rule.op}\` needs exactly one of param or value` });
      return;
    }
    if (!hasValue) return;
    if (rule.op === "in" && !Array.isArray(rule.value))
      context.addIssue({ code: "custom", path: ["value"], message: "`in` needs a list of values" });
    if (rule.op !== "in" && Array.isArray(rule.value))
      context.addIssue({ code: "custom", path: ["value"], message: "A list is only compared with `in`" });
    if (ORDERING_OPERATORS.has(rule.op) && typeof rule.value !== "number" && typeof rule.value !== "string")
      context.addIssue({
        code: "custom",
        path: ["value"],
        message: `\`${rule.op}\` compares with a number or a string`,
      });
  });
export type EvidenceRule = z.infer<typeof EvidenceRuleSchema>;

/**
 * What a mashup says about the evidences whose key matches `key` (`*` matches any run of characters; the first
 * matching declaration wins): a label for the value, its unit, and the rule that decides it.
 */
export const EvidenceDeclarationSchema = z.strictObject({
  key: z.string().min(1).max(200).default("*").describe("An evidence key, or a pattern where `*` matches anything"),
  label: z.string().trim().min(1).max(120).describe('What the value is, e.g. "Days since the last review"'),
  unit: z.string().trim().min(1).max(40).optional().describe('The unit of the value, e.g. "days"'),
  rule: EvidenceRuleSchema.optional(),
  description: z.string().trim().max(500).optional().describe("What the rule leaves unsaid, in a sentence"),
});
export type EvidenceDeclaration = z.infer<typeof EvidenceDeclarationSchema>;

/** Every declaration of one mashup, in matching order. */
export const EvidenceDeclarationsSchema = z.array(EvidenceDeclarationSchema).max(50);

/** The first declaration whose key pattern matches the evidence key; undefined when none does. */
export function findEvidenceDeclaration(
  declarations: readonly EvidenceDeclaration[],
  key: string,
): EvidenceDeclaration | undefined {
  return declarations.find((declaration) => keyPatternOf(declaration.key).test(key));
}

function keyPatternOf(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`, "s");
}

const OPERATOR_TEXT: Record<Exclude<EvidenceRuleOperator, "truthy">, string> = {
  "<=": "≤",
  "<": "<",
  ">=": "≥",
  ">": ">",
  "==": "=",
  "!=": "≠",
  in: "one of",
};

/** A value as a rule or an evidence table shows it: text bare, lists comma-separated, the unit after numbers. */
export function formatEvidenceValue(value: unknown, unit?: string): string {
  if (Array.isArray(value)) return value.map((item) => formatEvidenceValue(item)).join(", ");
  if (value === null || value === undefined) return "—";
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    return JSON.stringify(value);
  const text = String(value);
  const isNumber = typeof value === "number" || (text.trim() !== "" && Number.isFinite(Number(text)));
  return unit && isNumber ? `${text} ${unit}` : text;
}

/**
 * A rule in words, with the control's actual parameter values: `{op: "<=", param: "maxReviewAgeDays"}` with
 * `{maxReviewAgeDays: 7}` and unit `days` reads "≤ 7 days (maxReviewAgeDays)". A parameter without a value is named
 * alone. `params` are the control's parameters over the mashup's defaults. Pure, for the UI and the exports alike.
 */
export function formatEvidenceRule(
  rule: EvidenceRule,
  options: { params?: Readonly<Record<string, unknown>>; unit?: string | undefined } = {},
): string {
  if (rule.op === "truthy") return "true";
  const operator = OPERATOR_TEXT[rule.op];
  if (rule.param === undefined) return `${operator} ${formatEvidenceValue(rule.value, options.unit)}`;
  const actual = options.params?.[rule.param];
  if (actual === undefined || actual === null) return `${operator} ${rule.param}`;
  return `${operator} ${formatEvidenceValue(actual, options.unit)} (${rule.param})`;
}
