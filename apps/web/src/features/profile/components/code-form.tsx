import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useServerForm, type SubmitMutation } from "@/lib/use-server-form.ts";

const CodeFormSchema = z.object({ code: z.string().trim().min(6, "Enter the 6-digit code").max(32) });

function describeFailure(error: unknown): string {
  if (isApiError(error, "second_factor_invalid")) return "That code is wrong or was already used. Try the next one.";
  if (isApiError(error, "second_factor_required"))
    return "Your role requires two-factor sign-in; it cannot be turned off.";
  return error instanceof Error ? error.message : "The change failed";
}

/** One code field and a submit button: every second-factor change on the profile page asks for a current code. */
export function CodeForm<TData>({
  label,
  submitLabel,
  mutation,
  onDone,
}: {
  label: string;
  submitLabel: string;
  mutation: SubmitMutation<{ code: string }, TData>;
  onDone: (data: TData) => void;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CodeFormSchema,
    defaultValues: { code: "" },
    mutation,
    fields: describeFailure,
    onSubmitted: (data) => onDone(data),
  });
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-xs space-y-3">
      {formError && <Alert>{formError}</Alert>}
      <FormField label={label} error={form.formState.errors.code?.message}>
        {(control) => <Input {...control} autoComplete="one-time-code" {...form.register("code")} />}
      </FormField>
      <Button type="submit" isLoading={isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
