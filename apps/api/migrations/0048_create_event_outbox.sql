-- Issue 15: the events STATUS emits when a control changes state, written to an outbox in the same transaction as
-- what caused them (a point, an errored run, the stale sweep), so none is lost and none outlives a rolled-back point.
-- Channels (webhooks, later e-mail) fan each event out from here in the worker processes.
create table event_outbox (
  id              uuid primary key default gen_random_uuid(),
  seq             bigint generated always as identity,
  type            text not null check (type in ('control.failing', 'control.recovered', 'control.stale', 'control.fresh',
                                                'run.error', 'catalog.compliance_below')),
  -- Plain ids, no foreign keys: an event is a record of what happened, and it must never hold back deleting a draft.
  catalog_id      uuid not null,
  control_id      uuid,
  scope           jsonb not null default '{}',
  scope_key       text not null default '{}',
  window_start    timestamptz,
  window_end      timestamptz,
  previous_state  text check (previous_state in ('passing', 'failing', 'stale', 'not_evaluated')),
  new_state       text check (new_state in ('passing', 'failing', 'stale', 'not_evaluated')),
  compliance      numeric,
  threshold       numeric,
  point_id        uuid,
  computation_id  uuid,
  consecutive_errors integer,
  -- The flapping guard: how many consecutive windows the new state has held at this event. A control.failing or
  -- control.recovered event is written for each of the first windows of a new state (up to the longest hold a
  -- subscription may ask for), and a subscription that waits K windows receives only the one that held K.
  held_windows    integer not null default 1 check (held_windows between 1 and 100),
  occurred_at     timestamptz not null default now(),
  -- Set when every channel has taken the event (fanned it out into its own deliveries), in the same transaction.
  dispatched_at   timestamptz,
  constraint event_outbox_seq_key unique (seq)
);
create index event_outbox_pending_idx on event_outbox (seq) where dispatched_at is null;
create index event_outbox_catalog_time_idx on event_outbox (catalog_id, occurred_at);
create index event_outbox_time_idx on event_outbox (occurred_at);
-- The stale sweep and the run.error rule look up the newest event of a kind per control and scope.
create index event_outbox_control_scope_idx on event_outbox (control_id, scope_key, seq);
