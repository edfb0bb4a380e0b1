-- Where the last verification of each control's chain ended intact (issue 19 item 5): GET /controls/:id/points/verify
-- resumes after this point instead of re-reading a chain of millions, once the checkpoint itself still holds (the
-- point is there with its hash, and the chain up to it still has `point_count` points). Chains are per control (one
-- hash chain links every scope's points), so the checkpoint is too. Not evidence: a lost row only costs a full walk.
create table point_chain_checkpoints (
  control_id            uuid primary key references controls (id) on delete cascade,
  point_id              uuid not null,
  seq                   bigint not null,
  hash                  text not null,
  point_count           bigint not null,
  -- How many of the verified points each hash scheme covers, e.g. {"1": 120, "2": 30}, for the answer's totals.
  points_by_hash_scheme jsonb not null,
  verified_at           timestamptz not null
);
