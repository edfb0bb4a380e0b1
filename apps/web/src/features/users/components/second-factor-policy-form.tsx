import type { Role, SecondFactorPolicy } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { useSecondFactorPolicy, useUpdateSecondFactorPolicy } from "../api/second-factor-policy.ts";

const ROLES: Role[] = ["ADMIN", "DEVELOPER", "USER"];

/** Which roles must sign in with a second factor; users of a role without one set it up at their next sign-in. */
export function SecondFactorPolicySection() {
  const policyQuery = useSecondFactorPolicy();
  return (
    <section aria-labelledby="second-factor-policy-heading" className="mt-10 space-y-3">
      <h2 id="second-factor-policy-heading" className="text-lg font-semibold">
        Two-factor sign-in
      </h2>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        Require a second factor for a role: its users without one set it up at their next sign-in, and cannot turn it
        off. Sign-ins through the identity provider rely on the provider&apos;s own second factor.
      </p>
      {policyQuery.isPending && <Spinner label="Loading the two-factor policy" />}
      {policyQuery.isError && (
        <LoadError
          title="The two-factor policy could not be loaded"
          error={policyQuery.error}
          onRetry={() => void policyQuery.refetch()}
        />
      )}
      {policyQuery.data && <PolicyForm key={JSON.stringify(policyQuery.data)} policy={policyQuery.data} />}
    </section>
  );
}

function PolicyForm({ policy }: { policy: SecondFactorPolicy }) {
  const [requiredFor, setRequiredFor] = useState(policy.requiredFor);
  const update = useUpdateSecondFactorPolicy();
  const isChanged = ROLES.some((role) => requiredFor[role] !== policy.requiredFor[role]);
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({ requiredFor });
      }}
    >
      <fieldset className="flex flex-wrap gap-4">
        <legend className="sr-only">Roles that must use a second factor</legend>
        {ROLES.map((role) => (
          <label key={role} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4"
              checked={requiredFor[role]}
              onChange={(event) => setRequiredFor({ ...requiredFor, [role]: event.target.checked })}
            />
            Require for {role}
          </label>
        ))}
      </fieldset>
      {update.isError && <Alert title="The policy was not saved">{update.error.message}</Alert>}
      <Button type="submit" size="sm" disabled={!isChanged} isLoading={update.isPending}>
        Save policy
      </Button>
    </form>
  );
}
