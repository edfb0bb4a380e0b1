import type { StatusCloudEvent } from "@status/shared";
import type { OutboxEvent } from "./events.repository.ts";

/**
 * The CloudEvents 1.0 rendering of an outbox event, the one every channel starts from: `id` is the event's (stable
 * across deliveries), `source` the catalog, `subject` the control, `data` what the shared contract describes.
 */
export function toCloudEvent(publicUrl: string, event: OutboxEvent): StatusCloudEvent {
  const computationUrl = event.computationId ? `${publicUrl}/api/v1/computations/${event.computationId}` : null;
  return {
    specversion: "1.0",
    id: event.id,
    source: `${publicUrl}/catalogs/${event.catalogId}`,
    type: event.type,
    time: new Date(event.occurredAt).toISOString(),
    ...(event.controlId ? { subject: event.controlId } : {}),
    datacontenttype: "application/json",
    data: {
      catalog: { id: event.catalogId, name: event.catalogName },
      control: event.controlId ? { id: event.controlId, name: event.controlName ?? "" } : null,
      scope: event.scope,
      window:
        event.windowStart && event.windowEnd
          ? { from: new Date(event.windowStart).toISOString(), to: new Date(event.windowEnd).toISOString() }
          : null,
      previousState: event.previousState,
      newState: event.newState,
      compliance: event.compliance,
      threshold: event.threshold,
      computationUrl,
      evidenceUrl: event.controlId
        ? `${publicUrl}/catalogs/${event.catalogId}/controls/${event.controlId}`
        : `${publicUrl}/catalogs/${event.catalogId}`,
      ...(event.consecutiveErrors !== null ? { consecutiveErrors: event.consecutiveErrors } : {}),
    },
  };
}
