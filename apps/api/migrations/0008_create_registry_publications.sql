-- The publication outbox: one row per finalized catalog published to the Governify registry. Catalog changes mark
-- the row pending in their own transaction; the engine's background publisher does the registry calls, so a registry
-- that is down or slow never blocks or fails a user's request. Failed attempts back off through next_attempt_at.
create table registry_publications (
  catalog_id      uuid primary key references catalogs (id) on delete cascade,
  agreement_id    text not null,
  state           text not null default 'pending' check (state in ('pending', 'published', 'error')),
  last_error      text,
  attempts        integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  requested_at    timestamptz not null default now(),
  published_at    timestamptz,
  -- SHA-256 of the canonical agreement the registry last accepted: a change to the catalog is a different hash.
  published_hash  text,
  -- The scheduled sync has pulled every window that closed up to here.
  synced_through  timestamptz,
  last_synced_at  timestamptz,
  last_sync_error text,
  updated_at      timestamptz not null default now(),
  constraint registry_publications_agreement_key unique (agreement_id)
);
create index registry_publications_due_idx on registry_publications (next_attempt_at) where state <> 'published';
