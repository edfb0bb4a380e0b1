import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useReplayDelivery, useWebhookDeliveries } from "../api/webhooks.ts";

const STATUS_TONES = { delivered: "success", pending: "warning", dead: "danger" } as const;

/** A subscription's delivery log: status, answer, duration, attempts, and a replay button per delivery. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useWebhookDeliveries(webhookId);
  const replay = useReplayDelivery();
  if (deliveries.isPending) return <Spinner label="Loading deliveries" />;
  if (deliveries.isError)
    return (
      <LoadError title="Could not load deliveries" error={deliveries.error} onRetry={() => void deliveries.refetch()} />
    );
  if (deliveries.data.items.length === 0) return <EmptyState title="No deliveries yet" />;
  return (
    <Table aria-label="Deliveries">
      <TableHead>
        <tr>
          <TableHeaderCell>Event</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Answer</TableHeaderCell>
          <TableHeaderCell>Duration</TableHeaderCell>
          <TableHeaderCell>Attempts</TableHeaderCell>
          <TableHeaderCell>Last attempt</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {deliveries.data.items.map((delivery) => (
          <TableRow key={delivery.id}>
            <TableCell className="font-mono text-xs">{delivery.eventType}</TableCell>
            <TableCell>
              <Badge tone={STATUS_TONES[delivery.status]}>{delivery.status}</Badge>
            </TableCell>
            <TableCell>
              {delivery.lastStatusCode ?? "—"}
              {(delivery.lastError ?? delivery.lastResponseExcerpt) && (
                <p
                  className="max-w-xs truncate text-xs text-zinc-500"
                  title={delivery.lastError ?? delivery.lastResponseExcerpt ?? ""}
                >
                  {delivery.lastError ?? delivery.lastResponseExcerpt}
                </p>
              )}
            </TableCell>
            <TableCell>{delivery.lastDurationMs === null ? "—" : `${delivery.lastDurationMs} ms`}</TableCell>
            <TableCell>{delivery.attempt}</TableCell>
            <TableCell>{formatDateTime(delivery.lastAttemptAt)}</TableCell>
            <TableCell>
              <Button
                variant="secondary"
                size="sm"
                aria-label={`Replay ${delivery.messageId}`}
                isLoading={replay.isPending && replay.variables.deliveryId === delivery.id}
                onClick={() => replay.mutate({ webhookId, deliveryId: delivery.id })}
              >
                Replay
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
