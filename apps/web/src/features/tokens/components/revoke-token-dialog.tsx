import type { ApiToken } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { useRevokeToken } from "../api/revoke-token.ts";

/** Revoking cannot be undone, so it asks first. */
export function RevokeTokenDialog({ token }: { token: ApiToken }) {
  const revokeMutation = useRevokeToken();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Revoke ${token.name}`}>
      Revoke
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Revoke “${token.name}”?`}
      description="Integrations using this token stop working at once. This cannot be undone."
      confirmLabel="Revoke token"
      isPending={revokeMutation.isPending}
      error={
        revokeMutation.isError ? { title: "The token was not revoked", message: revokeMutation.error.message } : null
      }
      onConfirm={(close) => revokeMutation.mutate(token.id, { onSuccess: close })}
      onClosed={() => revokeMutation.reset()}
    />
  );
}
