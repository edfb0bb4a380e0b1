import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { toCloudEvent, type EventChannel, type OutboxEvent } from "../events/index.ts";
import { queueEventMail } from "./mail-delivery.service.ts";
import { listControlFollowers } from "./mail.repository.ts";

/**
 * E-mail as an alert channel: the dispatcher hands it the outbox's events inside its transaction, and each is queued
 * for the users whose preferences ask for it (owners and watchers included), in that same transaction, so an event
 * leaves the outbox exactly when its mail is queued. The worker's mail loop (flushDigests) sends what is due: at once
 * for immediate recipients, at the end of the hour or day for digests.
 */
export function mailChannel(deps: AppDeps): EventChannel {
  return {
    name: "mail",
    async enqueue(tx: Queryable, events: readonly OutboxEvent[]) {
      if (!deps.config.mail.isEnabled) return;
      for (const event of events) {
        // A point change is recorded once per window the new state holds (the webhooks' flapping guard); mail goes
        // out for the first of them only.
        if (event.heldWindows !== 1) continue;
        await queueEventMail(deps, tx, toCloudEvent(deps.config.publicUrl, event), {
          controlFollowers: (controlId) => listControlFollowers(tx, controlId),
        });
      }
    },
  };
}
