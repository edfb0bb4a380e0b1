import { CreateRunsBodySchema } from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { zonedDateTimeToIso } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import type { useRunControl } from "../api/run-control.ts";

/**
 * What the inputs hold (`YYYY-MM-DDTHH:mm` wall-clock times), turned into the body the API parses with the same schema.
 */
const RangeInputsSchema = z.object({ from: z.string().min(1), to: z.string().min(1) });
const FIELDS = ["from", "to"] as const;

function rangeSchema(timeZone: string) {
  return RangeInputsSchema.transform((values): z.input<typeof CreateRunsBodySchema> => ({
    from: zonedDateTimeToIso(values.from, timeZone),
    to: zonedDateTimeToIso(values.to, timeZone),
  })).pipe(CreateRunsBodySchema);
}

interface RunRangeFormProps {
  controlId: string;
  /** The zone the entered times are in: the catalog's, where windows open and close. */
  timeZone: string;
  /** The control's run mutation, shared with "Run now". */
  runMutation: ReturnType<typeof useRunControl>;
  /** Once the range's batch was created. */
  onRun: () => void;
  onCancel: () => void;
}

/** Runs every window of the control that overlaps a range. */
export function RunRangeForm({ controlId, timeZone, runMutation, onRun, onCancel }: RunRangeFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: rangeSchema(timeZone),
    defaultValues: { from: "", to: "" },
    mutation: runMutation,
    toVariables: (body) => ({ controlId, body }),
    fields: FIELDS,
    onSubmitted: onRun,
  });
  const { errors } = form.formState;

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Run a range"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {formError && <Alert title="The range was not run">{formError}</Alert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label="From" hint={`In ${timeZone}`} error={errors.from?.message}>
          {(control) => <Input {...control} type="datetime-local" {...form.register("from")} />}
        </FormField>
        <FormField label="To" hint="Every window overlapping the range is computed." error={errors.to?.message}>
          {(control) => <Input {...control} type="datetime-local" {...form.register("to")} />}
        </FormField>
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" isLoading={isPending}>
          Run range
        </Button>
      </div>
    </form>
  );
}
