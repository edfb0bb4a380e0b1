-- Per-mashup limits on the engine's calls (issue 19): a flow that calls a rate-limited API is given at most
-- `max_concurrency` calls in flight and `rate_per_second` calls started per second, across every worker (the
-- counters live in Redis, or in the process on the embedded default). A mashup is a Node-RED flow tab, so the key is
-- its tab id and no foreign key exists; a row whose flow is gone simply stops being read. No row: no limit.
-- Read by the run processor through the primary key (one mashup at a time, cached for a few seconds).
create table mashup_limits (
  mashup_id       text primary key,
  max_concurrency integer check (max_concurrency is null or max_concurrency between 1 and 100000),
  rate_per_second numeric(10, 3) check (rate_per_second is null or rate_per_second > 0 and rate_per_second <= 100000),
  updated_at      timestamptz not null default now(),
  updated_by      uuid references users (id) on delete set null
);
