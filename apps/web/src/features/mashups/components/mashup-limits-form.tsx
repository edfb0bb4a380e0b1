import { SetMashupLimitsBodySchema, type MashupLimits, type SetMashupLimitsBody } from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formErrorMap } from "@/lib/form-errors.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useMashupLimits, useSetMashupLimits } from "../api/mashup-limits.ts";

const FIELDS = ["maxConcurrency", "ratePerSecond"] as const;

/** Blank inputs are "no limit"; anything else must be a number the API accepts. */
const LimitsFormSchema = z
  .object({ maxConcurrency: z.string(), ratePerSecond: z.string() })
  .transform((values, ctx): SetMashupLimitsBody => {
    const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));
    const result = SetMashupLimitsBodySchema.safeParse(
      { maxConcurrency: numberOrNull(values.maxConcurrency), ratePerSecond: numberOrNull(values.ratePerSecond) },
      { error: formErrorMap },
    );
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  });

function LimitsForm({ limits }: { limits: MashupLimits }) {
  const mutation = useSetMashupLimits();
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: LimitsFormSchema,
    defaultValues: {
      maxConcurrency: limits.maxConcurrency?.toString() ?? "",
      ratePerSecond: limits.ratePerSecond?.toString() ?? "",
    },
    mutation,
    toVariables: (body) => ({ mashupId: limits.mashupId, body }),
    fields: FIELDS,
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Call limits">
      {formError && <Alert title="The limits could not be saved">{formError}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="Calls in flight at most"
          hint="Across every worker; blank: no limit."
          error={errors.maxConcurrency?.message}
        >
          {(control) => <Input {...control} inputMode="numeric" {...form.register("maxConcurrency")} />}
        </FormField>
        <FormField
          label="Calls per second at most"
          hint="e.g. 0.5; blank: no limit."
          error={errors.ratePerSecond?.message}
        >
          {(control) => <Input {...control} inputMode="decimal" {...form.register("ratePerSecond")} />}
        </FormField>
      </div>
      <div className="flex items-center justify-end gap-3">
        {mutation.isSuccess && !form.formState.isDirty && <span className="text-sm">Saved.</span>}
        <Button type="submit" variant="secondary" isLoading={isPending}>
          Save limits
        </Button>
      </div>
    </form>
  );
}

/**
 * The engine's limits on a mashup's calls, for a flow that calls a rate-limited API: runs over them wait their turn
 * without holding a worker, so other mashups' runs go on. DEVELOPER and ADMIN.
 */
export function MashupLimitsForm({ mashupId }: { mashupId: string }) {
  const limitsQuery = useMashupLimits(mashupId);
  if (limitsQuery.isError) return <Alert title="The limits could not be loaded">{limitsQuery.error.message}</Alert>;
  if (!limitsQuery.data) return null;
  // Keyed by the stored time, so a save (or another user's) starts the form from what is stored.
  return <LimitsForm key={limitsQuery.data.updatedAt ?? "none"} limits={limitsQuery.data} />;
}
