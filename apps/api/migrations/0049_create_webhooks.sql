-- Issue 15: signed webhook subscriptions (Standard Webhooks) and their deliveries. Deliveries are claimed by the
-- worker processes with FOR UPDATE SKIP LOCKED and a lease: one killed mid-delivery leaves its delivery to another.
create table webhook_subscriptions (
  id                          uuid primary key default gen_random_uuid(),
  owner_id                    uuid not null references users (id) on delete restrict,
  url                         text not null check (char_length(url) <= 2048),
  event_types                 text[] not null check (cardinality(event_types) between 1 and 6),
  catalog_id                  uuid references catalogs (id) on delete restrict,
  control_id                  uuid references controls (id) on delete restrict,
  format                      text not null default 'cloudevents' check (format in ('cloudevents', 'slack', 'teams')),
  hold_windows                integer not null default 1 check (hold_windows between 1 and 10),
  description                 text check (description is null or char_length(description) <= 500),
  -- The signing secret (whsec_…), encrypted with STATUS_ENCRYPTION_KEY; after a rotation the previous one signs too
  -- until previous_secret_expires_at.
  secret_encrypted            text not null,
  previous_secret_encrypted   text,
  previous_secret_expires_at  timestamptz,
  is_enabled                  boolean not null default true,
  -- Why the subscription stopped or is flagged: the receiver answered 410, or a delivery was dead-lettered.
  disabled_reason             text check (disabled_reason in ('gone', 'manual')),
  flagged_at                  timestamptz,
  flag_reason                 text,
  created_at                  timestamptz not null default now(),
  updated_at                  timestamptz not null default now(),
  -- Deleting a subscription archives it: its delivery log stays readable to ADMIN.
  deleted_at                  timestamptz
);
create index webhook_subscriptions_owner_idx on webhook_subscriptions (owner_id);
create index webhook_subscriptions_live_idx on webhook_subscriptions (id) where deleted_at is null and is_enabled;

create table webhook_deliveries (
  id                  uuid primary key default gen_random_uuid(),
  subscription_id     uuid not null references webhook_subscriptions (id) on delete restrict,
  -- Null for a test delivery (POST /webhooks/:id/test).
  event_id            uuid references event_outbox (id) on delete restrict,
  -- The stable webhook-id of this event for this subscription: every attempt and replay sends the same one.
  message_id          text not null,
  event_type          text not null,
  -- The body as sent (CloudEvent, or the Slack/Teams message), so retries and replays send the same bytes.
  body                text not null,
  status              text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempt             integer not null default 0,
  next_attempt_at     timestamptz not null default now(),
  -- Retries stop (dead letter) WEBHOOK_RETRY_MAX_AGE_MS after this: the first attempt, or the last replay.
  retry_since         timestamptz not null default now(),
  lease_until         timestamptz,
  -- When the event committed (the point's transaction), for the latency from commit to delivery.
  event_at            timestamptz not null default now(),
  last_status_code    integer,
  last_duration_ms    integer,
  last_response_excerpt text,
  last_error          text,
  last_attempt_at     timestamptz,
  delivered_at        timestamptz,
  created_at          timestamptz not null default now(),
  constraint webhook_deliveries_message_key unique (subscription_id, message_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, created_at desc);
