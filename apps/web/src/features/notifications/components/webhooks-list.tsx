import type { Webhook, WebhookWithSecret } from "@status/shared";
import { useState } from "react";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent } from "@/components/ui/dialog.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import {
  useDeleteWebhook,
  useRotateWebhookSecret,
  useSendTestEvent,
  useUpdateWebhook,
  useWebhooks,
} from "../api/webhooks.ts";
import { WebhookDeliveries } from "./webhook-deliveries.tsx";
import { WebhookFormDialog } from "./webhook-form-dialog.tsx";
import { WebhookSecret } from "./webhook-secret.tsx";

function stateOf(webhook: Webhook) {
  if (!webhook.isEnabled)
    return <Badge tone="danger">{webhook.disabledReason === "gone" ? "Disabled (410 Gone)" : "Paused"}</Badge>;
  if (webhook.flaggedAt) return <Badge tone="warning">Failing deliveries</Badge>;
  return <Badge tone="success">Active</Badge>;
}

/** The subscriptions with their actions; one row at a time shows its delivery log. */
export function WebhooksList() {
  const webhooks = useWebhooks();
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [rotated, setRotated] = useState<WebhookWithSecret | null>(null);
  const sendTest = useSendTestEvent();
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  if (webhooks.isPending) return <Spinner label="Loading webhooks" />;
  if (webhooks.isError)
    return <LoadError title="Could not load webhooks" error={webhooks.error} onRetry={() => void webhooks.refetch()} />;
  if (webhooks.data.items.length === 0)
    return (
      <EmptyState title="No webhooks yet">Create one to hear about failing, stale and recovered controls.</EmptyState>
    );
  return (
    <div className="space-y-4">
      <Table aria-label="Webhooks">
        <TableHead>
          <tr>
            <TableHeaderCell>URL</TableHeaderCell>
            <TableHeaderCell>Events</TableHeaderCell>
            <TableHeaderCell>Format</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {webhooks.data.items.map((webhook) => (
            <TableRow key={webhook.id}>
              <TableCell className="max-w-xs font-mono text-xs break-all">{webhook.url}</TableCell>
              <TableCell className="text-xs">{webhook.events.join(", ")}</TableCell>
              <TableCell>{webhook.format}</TableCell>
              <TableCell>{stateOf(webhook)}</TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => sendTest.mutate(webhook.id, { onSuccess: () => setOpenLog(webhook.id) })}
                  >
                    Test
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-expanded={openLog === webhook.id}
                    onClick={() => setOpenLog(openLog === webhook.id ? null : webhook.id)}
                  >
                    Deliveries
                  </Button>
                  <WebhookFormDialog webhook={webhook} />
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => update.mutate({ id: webhook.id, body: { isEnabled: !webhook.isEnabled } })}
                  >
                    {webhook.isEnabled ? "Pause" : "Enable"}
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => rotate.mutate(webhook.id, { onSuccess: setRotated })}
                  >
                    Rotate secret
                  </Button>
                  <Button variant="secondary" size="sm" onClick={() => remove.mutate(webhook.id)}>
                    Delete
                  </Button>
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {openLog && (
        <section aria-label="Delivery log" className="space-y-2">
          <h2 className="text-sm font-semibold">Delivery log</h2>
          <WebhookDeliveries webhookId={openLog} />
        </section>
      )}
      <Dialog open={rotated !== null} onOpenChange={(open) => !open && setRotated(null)}>
        {rotated && (
          <DialogContent
            title="Copy the new signing secret"
            description="The previous secret keeps signing for 24 hours."
          >
            <WebhookSecret webhook={rotated} />
          </DialogContent>
        )}
      </Dialog>
    </div>
  );
}
