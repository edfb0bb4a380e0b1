import type { SecondFactorStatus, TotpEnrolment } from "@status/shared";
import { useState } from "react";
import { RecoveryCodesNotice } from "@/components/security/recovery-codes-notice.tsx";
import { TotpSetup } from "@/components/security/totp-setup.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatDateTime } from "@/lib/format.ts";
import {
  confirmTotp,
  disableTotp,
  renewRecoveryCodes,
  useSecondFactorChange,
  useSecondFactorStatus,
  useStartTotpEnrolment,
} from "../api/second-factor.ts";
import { CodeForm } from "./code-form.tsx";

type Step =
  | { kind: "idle" }
  | { kind: "enrolling"; enrolment: TotpEnrolment }
  | { kind: "codes"; codes: string[] }
  | { kind: "renewing" }
  | { kind: "disabling" };

/** The profile page's two-factor section: turn TOTP on with a QR code, renew recovery codes, turn it off. */
export function TwoFactorSection() {
  const statusQuery = useSecondFactorStatus();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  return (
    <section aria-labelledby="two-factor-heading" className="space-y-3">
      <h2 id="two-factor-heading" className="text-lg font-semibold">
        Two-factor sign-in
      </h2>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        After your password, STATUS asks for a code from an authenticator app. Recovery codes get you in if you lose it.
      </p>
      {statusQuery.isPending && <Spinner label="Loading two-factor sign-in" />}
      {statusQuery.isError && (
        <LoadError
          title="Two-factor sign-in could not be loaded"
          error={statusQuery.error}
          onRetry={() => void statusQuery.refetch()}
        />
      )}
      {statusQuery.data && <TwoFactorBody status={statusQuery.data} step={step} setStep={setStep} />}
    </section>
  );
}

function TwoFactorBody({
  status,
  step,
  setStep,
}: {
  status: SecondFactorStatus;
  step: Step;
  setStep: (step: Step) => void;
}) {
  const idle = () => setStep({ kind: "idle" });
  if (step.kind === "codes") return <RecoveryCodesNotice codes={step.codes} onDone={idle} doneLabel="Done" />;
  if (step.kind === "enrolling")
    return <Enrolment enrolment={step.enrolment} onConfirmed={(codes) => setStep({ kind: "codes", codes })} />;
  if (!status.isEnabled)
    return <TurnOn status={status} onStarted={(enrolment) => setStep({ kind: "enrolling", enrolment })} />;
  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone="success">On</Badge>
        since {formatDateTime(status.confirmedAt)} · {status.recoveryCodesLeft} recovery codes left
        {status.isRequiredByRole && <Badge tone="accent">Required for your role</Badge>}
      </p>
      {step.kind === "idle" && (
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={() => setStep({ kind: "renewing" })}>
            New recovery codes
          </Button>
          {!status.isRequiredByRole && (
            <Button variant="ghost" size="sm" onClick={() => setStep({ kind: "disabling" })}>
              Turn off
            </Button>
          )}
        </div>
      )}
      {step.kind === "renewing" && <RenewCodes onRenewed={(codes) => setStep({ kind: "codes", codes })} />}
      {step.kind === "disabling" && <TurnOff onDone={idle} />}
    </div>
  );
}

function TurnOn({ status, onStarted }: { status: SecondFactorStatus; onStarted: (enrolment: TotpEnrolment) => void }) {
  const start = useStartTotpEnrolment();
  return (
    <div className="space-y-3">
      {status.isRequiredByRole && (
        <Alert variant="info" title="Your role requires two-factor sign-in">
          You will be asked to set it up at your next sign-in; you can do it now.
        </Alert>
      )}
      {start.isError && <Alert title="Two-factor sign-in could not be started">{start.error.message}</Alert>}
      <Button onClick={() => start.mutate(undefined, { onSuccess: onStarted })} isLoading={start.isPending}>
        Turn on two-factor sign-in
      </Button>
    </div>
  );
}

function Enrolment({ enrolment, onConfirmed }: { enrolment: TotpEnrolment; onConfirmed: (codes: string[]) => void }) {
  const confirm = useSecondFactorChange(confirmTotp);
  return (
    <div className="space-y-4">
      <TotpSetup enrolment={enrolment} />
      <CodeForm
        label="Code from the app"
        submitLabel="Confirm"
        mutation={confirm}
        onDone={(data) => onConfirmed(data.recoveryCodes)}
      />
    </div>
  );
}

function RenewCodes({ onRenewed }: { onRenewed: (codes: string[]) => void }) {
  const renew = useSecondFactorChange(renewRecoveryCodes);
  return (
    <CodeForm
      label="Current code"
      submitLabel="Make new recovery codes"
      mutation={renew}
      onDone={(data) => onRenewed(data.recoveryCodes)}
    />
  );
}

function TurnOff({ onDone }: { onDone: () => void }) {
  const disable = useSecondFactorChange(disableTotp);
  return <CodeForm label="Current code" submitLabel="Turn off two-factor sign-in" mutation={disable} onDone={onDone} />;
}
