import type { SecondFactorChallenge, SecondFactorSessionResponse } from "@status/shared";
import { useState } from "react";
import { z } from "zod";
import { RecoveryCodesNotice } from "@/components/security/recovery-codes-notice.tsx";
import { TotpSetup } from "@/components/security/totp-setup.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCompleteSecondFactor, useLoginEnrolment } from "../api/complete-second-factor.ts";

type Challenge = SecondFactorChallenge["secondFactor"];

const CodeFormSchema = z.object({
  code: z.string().trim().min(6, "Enter the 6-digit code or a recovery code").max(32),
});

function describeFailure(error: unknown): string | null {
  if (isApiError(error, "second_factor_invalid")) return "That code is wrong or was already used. Try the next one.";
  if (isApiError(error, "pending_login_invalid"))
    return "This sign-in has expired or saw too many wrong codes. Sign in again.";
  if (isApiError(error, "account_disabled")) return "This account is disabled.";
  return null;
}

/**
 * The second step of signing in: the code from the authenticator (or a recovery code), or, when the role requires a
 * second factor the user has not set up, its enrolment first. Recovery codes from an enrolment are shown before going
 * on. `onRestart` goes back to the password step.
 */
export function SecondFactorStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: Challenge;
  onSignedIn: () => void;
  onRestart: () => void;
}) {
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const mutation = useCompleteSecondFactor({
    onSuccess: (session: SecondFactorSessionResponse) =>
      session.recoveryCodes ? setRecoveryCodes(session.recoveryCodes) : onSignedIn(),
  });
  if (recoveryCodes) return <RecoveryCodesNotice codes={recoveryCodes} onDone={onSignedIn} doneLabel="Continue" />;
  return (
    <div className="space-y-4">
      {challenge.purpose === "enrol" ? (
        <LoginEnrolment pendingToken={challenge.pendingToken} />
      ) : (
        <p className="text-sm">Enter the code from your authenticator app, or one of your recovery codes.</p>
      )}
      <CodeForm challenge={challenge} mutation={mutation} />
      <Button variant="ghost" size="sm" onClick={onRestart}>
        Start over
      </Button>
    </div>
  );
}

function LoginEnrolment({ pendingToken }: { pendingToken: string }) {
  const enrolment = useLoginEnrolment(pendingToken);
  if (enrolment.isPending) return <Spinner label="Preparing two-factor sign-in" />;
  if (enrolment.isError)
    return (
      <Alert title="Two-factor sign-in could not be prepared">
        {describeFailure(enrolment.error) ?? enrolment.error.message}
      </Alert>
    );
  return (
    <>
      <Alert variant="info" title="Your role requires two-factor sign-in">
        Set it up now to finish signing in.
      </Alert>
      <TotpSetup enrolment={enrolment.data} />
    </>
  );
}

function CodeForm({
  challenge,
  mutation,
}: {
  challenge: Challenge;
  mutation: ReturnType<typeof useCompleteSecondFactor>;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CodeFormSchema,
    defaultValues: { code: "" },
    mutation,
    toVariables: (body) => ({ pendingToken: challenge.pendingToken, code: body.code }),
    fields: (error) => describeFailure(error) ?? (error instanceof Error ? error.message : "Sign-in failed"),
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Authentication code" error={form.formState.errors.code?.message}>
        {(control) => (
          <Input {...control} autoComplete="one-time-code" inputMode="text" autoFocus {...form.register("code")} />
        )}
      </FormField>
      <Button type="submit" className="w-full" isLoading={isPending}>
        Verify
      </Button>
    </form>
  );
}
