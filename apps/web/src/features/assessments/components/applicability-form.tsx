import { SetApplicabilityBodySchema, type SoaRow } from "@status/shared";
import { useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button.tsx";
import { Textarea } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useSetApplicability } from "../api/statement-of-applicability.ts";

const FIELDS = ["isApplicable", "justification"] as const;

/**
 * One requirement's decision, edited in its row: applies or not, and why (the API requires a reason either way).
 * Saved with PUT /requirements/:id/applicability, which audits the change.
 */
export function ApplicabilityForm({ frameworkId, row }: { frameworkId: string; row: SoaRow }) {
  // One mutation per row, so saving one row does not show the others as saving.
  const mutation = useSetApplicability(frameworkId);
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: SetApplicabilityBodySchema,
    defaultValues: { isApplicable: row.isApplicable, justification: row.justification ?? "" },
    mutation,
    toVariables: (body) => ({ requirementId: row.requirementId, body }),
    fields: FIELDS,
    // The saved decision is the form's new starting point, for "Undo" too.
    onSubmitted: (saved, savedForm) =>
      savedForm.reset({ isApplicable: saved.isApplicable, justification: saved.justification ?? "" }),
  });
  const { errors } = form.formState;
  // Compared with the row as the API last answered it, so "Save" shows only while there is something to save.
  const [isApplicable, justification] = useWatch({ control: form.control, name: ["isApplicable", "justification"] });
  const isChanged = isApplicable !== row.isApplicable || justification !== (row.justification ?? "");
  const errorId = `soa-${row.requirementId}-error`;
  const error = errors.justification?.message ?? formError;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Applicability of ${row.requirementKey}`} className="space-y-1.5">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4" {...form.register("isApplicable")} />
        Applicable
      </label>
      <Textarea
        rows={2}
        aria-label={`Justification for ${row.requirementKey}`}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? errorId : undefined}
        placeholder="Why it applies, or why not"
        {...form.register("justification")}
      />
      {error && (
        <p id={errorId} className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {isChanged && (
        <div className="flex justify-end gap-2">
          <Button variant="ghost" size="sm" aria-label={`Undo ${row.requirementKey}`} onClick={() => form.reset()}>
            Undo
          </Button>
          <Button type="submit" size="sm" isLoading={isPending} aria-label={`Save ${row.requirementKey}`}>
            Save
          </Button>
        </div>
      )}
    </form>
  );
}
