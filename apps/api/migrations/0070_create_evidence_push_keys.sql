-- Idempotency keys of evidence submissions (issue 20): a retry with the same `Idempotency-Key` from the same
-- credential (the API token, or the user of a session) and the same body answers the first result without storing
-- anything; the same key with another body is refused. Keys are kept 24 hours (lookups ignore older ones, and the
-- maintenance tick removes them); the submissions themselves are runs and computations, kept as any other.
create table evidence_push_keys (
  owner_key      text not null,
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 255),
  control_id     uuid not null references controls (id) on delete cascade,
  body_digest    text not null,
  computation_id uuid not null,
  result         jsonb not null,
  created_at     timestamptz not null default now(),
  primary key (owner_key, idempotency_key)
);
create index evidence_push_keys_created_idx on evidence_push_keys (created_at);
