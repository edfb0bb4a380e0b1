import { ChangePasswordBodySchema, type EndedSessions } from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useChangePassword } from "../api/change-password.ts";

const PasswordInputsSchema = z
  .object({ currentPassword: z.string(), newPassword: z.string(), repeatPassword: z.string() })
  .refine((values) => values.newPassword === values.repeatPassword, {
    path: ["repeatPassword"],
    message: "The two new passwords differ",
  });

const PasswordFormSchema = PasswordInputsSchema.transform(({ currentPassword, newPassword }) => ({
  currentPassword,
  newPassword,
})).pipe(ChangePasswordBodySchema);

const FIELDS = ["currentPassword", "newPassword"] as const;

/** Old password, new password twice; the API's refusals (wrong current one, weak new one) land on their fields. */
export function ChangePasswordForm({
  submitLabel = "Change password",
  onChanged,
}: {
  submitLabel?: string;
  onChanged: (ended: EndedSessions) => Promise<void> | void;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: PasswordFormSchema,
    defaultValues: { currentPassword: "", newPassword: "", repeatPassword: "" },
    mutation: useChangePassword({ onSuccess: onChanged }),
    fields: FIELDS,
    onSubmitted: (_data, submitted) => submitted.reset(),
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Current password" error={errors.currentPassword?.message}>
        {(control) => (
          <Input {...control} type="password" autoComplete="current-password" {...form.register("currentPassword")} />
        )}
      </FormField>
      <FormField
        label="New password"
        hint="At least 10 characters; not a well-known password, not your username."
        error={errors.newPassword?.message}
      >
        {(control) => (
          <Input {...control} type="password" autoComplete="new-password" {...form.register("newPassword")} />
        )}
      </FormField>
      <FormField label="Repeat the new password" error={errors.repeatPassword?.message}>
        {(control) => (
          <Input {...control} type="password" autoComplete="new-password" {...form.register("repeatPassword")} />
        )}
      </FormField>
      <Button type="submit" isLoading={isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
