import type { UserSession } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { useRevokeSession } from "../api/revoke-session.ts";
import { sessionName } from "./session-name.ts";

/**
 * Ending a session signs its device out at once, so it asks first. Ending the current one signs this browser out:
 * `onSignedOut` then leaves the protected pages.
 */
export function RevokeSessionDialog({ session, onSignedOut }: { session: UserSession; onSignedOut: () => void }) {
  const revokeMutation = useRevokeSession({ onSuccess: session.isCurrent ? onSignedOut : undefined });
  const name = sessionName(session);
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={session.isCurrent ? "Sign out this session" : `Sign out ${name}`}>
      {session.isCurrent ? "Sign out" : "Revoke"}
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={session.isCurrent ? "Sign out this session?" : `Sign out “${name}”?`}
      description={
        session.isCurrent
          ? "This browser is signed out at once; sign in again to continue."
          : "That device is signed out at once and must sign in again."
      }
      confirmLabel={session.isCurrent ? "Sign out" : "Revoke session"}
      isPending={revokeMutation.isPending}
      error={
        revokeMutation.isError ? { title: "The session was not ended", message: revokeMutation.error.message } : null
      }
      onConfirm={(close) => revokeMutation.mutate(session.id, { onSuccess: close })}
      onClosed={() => revokeMutation.reset()}
    />
  );
}
