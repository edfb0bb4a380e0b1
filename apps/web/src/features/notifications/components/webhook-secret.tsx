import type { WebhookWithSecret } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { DialogClose, DialogFooter } from "@/components/ui/dialog.tsx";
import { CopyableSecret } from "@/components/ui/copyable-secret.tsx";

/** The signing secret, shown this once with a copy button; closing the dialog forgets it. */
export function WebhookSecret({ webhook }: { webhook: WebhookWithSecret }) {
  return (
    <div className="space-y-4">
      <Alert variant="info" title="This is the only time the secret is shown">
        Receivers verify the webhook-signature header with it (Standard Webhooks). If you lose it, rotate it.
      </Alert>
      <CopyableSecret value={webhook.secret} label="Signing secret" what="secret" />
      <DialogFooter>
        <DialogClose asChild>
          <Button>I have copied it</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
