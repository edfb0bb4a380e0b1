import type { ApiToken } from "@status/shared";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { useRevokeToken } from "../api/revoke-token.ts";

/** Revoking cannot be undone, so it asks first. */
export function RevokeTokenDialog({ token }: { token: ApiToken }) {
  const [isOpen, setIsOpen] = useState(false);
  const revokeMutation = useRevokeToken({ onSuccess: () => setIsOpen(false) });
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) revokeMutation.reset();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Revoke ${token.name}`}>
          Revoke
        </Button>
      </DialogTrigger>
      <DialogContent title={`Revoke “${token.name}”?`} description="Integrations using this token stop working at once. This cannot be undone.">
        {revokeMutation.isError && <Alert title="The token was not revoked">{revokeMutation.error.message}</Alert>}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" isLoading={revokeMutation.isPending} onClick={() => revokeMutation.mutate(token.id)}>
            Revoke token
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
