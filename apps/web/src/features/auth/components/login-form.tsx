import { LoginBodySchema, type LoginResponse } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { applyProblemToForm } from "@/lib/form-errors.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useLogin } from "../api/login.ts";

const LoginFormSchema = LoginBodySchema.pick({ username: true, password: true });
const FIELDS = ["username", "password"] as const;

function describeLoginFailure(error: unknown, fallback: string | null): string | null {
  if (isApiError(error, "invalid_credentials")) return "Incorrect username or password.";
  if (isApiError(error, "rate_limited"))
    return `Too many sign-in attempts. ${error.detail ?? "Wait a moment and try again."}`;
  if (isApiError(error, "account_locked"))
    return `This account is temporarily locked after failed sign-ins from many places. ${error.detail ?? ""}`.trim();
  return fallback;
}

export function LoginForm({ onSuccess }: { onSuccess: (outcome: LoginResponse) => void }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: LoginFormSchema,
    defaultValues: { username: "", password: "" },
    mutation: useLogin({ onSuccess }),
    fields: (error, { setError }) => describeLoginFailure(error, applyProblemToForm(error, setError, FIELDS)),
  });
  const { errors } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Username" error={errors.username?.message}>
        {(control) => <Input {...control} autoComplete="username" autoFocus {...form.register("username")} />}
      </FormField>
      <FormField label="Password" error={errors.password?.message}>
        {(control) => (
          <Input {...control} type="password" autoComplete="current-password" {...form.register("password")} />
        )}
      </FormField>
      <Button type="submit" className="w-full" isLoading={isPending}>
        Sign in
      </Button>
    </form>
  );
}
