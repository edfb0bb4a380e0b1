import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { ChangePasswordForm } from "./change-password-form.tsx";

function endedText(ended: number): string {
  if (ended === 0) return "Your password was changed.";
  return `Your password was changed; ${ended} other ${ended === 1 ? "session was" : "sessions were"} signed out.`;
}

/** The profile's password section: a new password ends every other session, this one stays signed in. */
export function ChangePasswordSection() {
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="password-heading" className="space-y-3">
      <h2 id="password-heading" className="text-lg font-semibold">
        Password
      </h2>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        Changing it signs out every other browser and app that uses your account; this one stays signed in.
      </p>
      {done && <Alert variant="info">{done}</Alert>}
      <ChangePasswordForm onChanged={({ ended }) => setDone(endedText(ended))} />
    </section>
  );
}
