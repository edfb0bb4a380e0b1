import {
  PeriodSchema,
  TestMashupBodySchema,
  type Mashup,
  type MashupTestResult,
  type TestMashupBody,
} from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { formErrorMap } from "@/lib/form-errors.ts";
import { formatDuration, zonedMidnightToIso } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useTestMashup } from "../api/test-mashup.ts";
import { defaultParams } from "../utils/mashup-inputs.ts";

const TestInputsSchema = z.object({
  params: z.string(),
  scope: z.string(),
  from: z.string(),
  to: z.string(),
  period: PeriodSchema,
  timeoutMs: z.string(),
});
const FIELDS = ["params", "scope", "from", "to", "period", "timeoutMs"] as const;

function readObject(text: string, field: "params" | "scope", ctx: z.RefinementCtx): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", path: [field], message: 'Enter a JSON object, e.g. {"team": "payments"}' });
  return {};
}

/** Dates are whole UTC days (from midnight to midnight), the windows runs use for a daily control. */
const TestFormSchema = TestInputsSchema.transform((values, ctx): TestMashupBody => {
  const body = {
    params: readObject(values.params, "params", ctx),
    scope: readObject(values.scope, "scope", ctx),
    from: values.from ? zonedMidnightToIso(values.from, "UTC") : "",
    to: values.to ? zonedMidnightToIso(values.to, "UTC") : "",
    period: values.period,
    ...(values.timeoutMs.trim() ? { timeoutMs: Number(values.timeoutMs) } : {}),
  };
  const result = TestMashupBodySchema.safeParse(body, { error: formErrorMap });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    ctx.addIssue({
      code: "custom",
      path: issue.path,
      message:
        issue.path[0] === "from" || issue.path[0] === "to"
          ? body[issue.path[0]]
            ? issue.message
            : "Required"
          : issue.message,
    });
  }
  return z.NEVER;
});

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

function TestResult({ result }: { result: MashupTestResult }) {
  return (
    <section
      aria-label="Test result"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span>
          HTTP <strong className="tabular-nums">{result.status}</strong>
        </span>
        <span>in {formatDuration(result.durationMs)}</span>
        {result.isValid ? (
          <Badge tone="success">Usable by a run</Badge>
        ) : (
          <Badge tone="danger">Not usable by a run</Badge>
        )}
      </div>
      {result.problem && <Alert title="A run could not use this answer">{result.problem}</Alert>}
      <div>
        <h3 className="mb-1 text-sm font-medium">Raw response</h3>
        <pre className="max-h-96 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-950">
          {typeof result.body === "string" ? result.body : JSON.stringify(result.body, null, 2)}
        </pre>
      </div>
    </section>
  );
}

/** Calls a mashup once with the parameters, scope and window given; nothing is stored. DEVELOPER and ADMIN. */
export function TestMashupForm({ mashup }: { mashup: Mashup }) {
  const testMutation = useTestMashup();
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: TestFormSchema,
    defaultValues: {
      params: JSON.stringify(defaultParams(mashup), null, 2),
      scope: "{}",
      from: daysAgo(1),
      to: daysAgo(0),
      period: "DAILY",
      timeoutMs: "",
    },
    mutation: testMutation,
    toVariables: (body) => ({ mashupId: mashup.id, body }),
    fields: FIELDS,
  });
  const { errors } = form.formState;
  const errorTitle = isApiError(testMutation.error, "mashup_timeout")
    ? "The mashup did not answer in time"
    : "The mashup could not be called";

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {formError && <Alert title={errorTitle}>{formError}</Alert>}
        <div className="grid gap-4 md:grid-cols-2">
          <FormField
            label="Parameters (JSON)"
            hint="Prefilled with the declared inputs' defaults."
            error={errors.params?.message}
          >
            {(control) => <Textarea {...control} rows={4} className="font-mono" {...form.register("params")} />}
          </FormField>
          <FormField label="Scope (JSON)" hint='e.g. {"environment": "production"}' error={errors.scope?.message}>
            {(control) => <Textarea {...control} rows={4} className="font-mono" {...form.register("scope")} />}
          </FormField>
        </div>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <FormField label="From (UTC day)" error={errors.from?.message}>
            {(control) => <Input {...control} type="date" {...form.register("from")} />}
          </FormField>
          <FormField label="To (UTC day)" error={errors.to?.message}>
            {(control) => <Input {...control} type="date" {...form.register("to")} />}
          </FormField>
          <FormField label="Period" error={errors.period?.message}>
            {(control) => (
              <Select {...control} {...form.register("period")}>
                {PeriodSchema.options.map((period) => (
                  <option key={period} value={period}>
                    {period}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <FormField label="Timeout (ms)" hint="Blank: the engine's." error={errors.timeoutMs?.message}>
            {(control) => <Input {...control} inputMode="numeric" {...form.register("timeoutMs")} />}
          </FormField>
        </div>
        <div className="flex justify-end">
          <Button type="submit" isLoading={isPending}>
            Call the mashup
          </Button>
        </div>
      </form>
      {testMutation.data && !testMutation.isPending && <TestResult result={testMutation.data} />}
    </div>
  );
}
