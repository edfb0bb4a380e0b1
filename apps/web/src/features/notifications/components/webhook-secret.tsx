import type { WebhookWithSecret } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { DialogClose, DialogFooter } from "@/components/ui/dialog.tsx";
import { Input } from "@/components/ui/input.tsx";

/** The signing secret, shown this once with a copy button; closing the dialog forgets it. */
export function WebhookSecret({ webhook }: { webhook: WebhookWithSecret }) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(webhook.secret);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  };
  return (
    <div className="space-y-4">
      <Alert variant="info" title="This is the only time the secret is shown">
        Receivers verify the webhook-signature header with it (Standard Webhooks). If you lose it, rotate it.
      </Alert>
      <div className="flex gap-2">
        <Input
          readOnly
          value={webhook.secret}
          aria-label="Signing secret"
          className="font-mono"
          onFocus={(event) => event.target.select()}
        />
        <Button variant="secondary" onClick={() => void copy()}>
          {copyState === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copyState === "failed" && (
        <p className="text-sm text-red-600 dark:text-red-400">Copying failed; select the secret and copy it by hand.</p>
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button>I have copied it</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
