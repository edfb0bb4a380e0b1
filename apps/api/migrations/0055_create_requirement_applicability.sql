-- The Statement of Applicability's decisions: whether a framework requirement applies, and why. One row per decided
-- requirement (undecided ones read as applicable); every change is audited (resource `requirement_applicability`),
-- so the row holds the current decision and the audit log its history.
create table requirement_applicability (
  requirement_id uuid primary key references requirements (id) on delete restrict,
  is_applicable  boolean not null,
  justification  text not null check (char_length(justification) between 1 and 2000),
  updated_by     uuid references users (id) on delete set null,
  updated_at     timestamptz not null default now()
);
