-- Scanner files imported as evidence (issue 20): one row per file digest and target (a catalog, or one control), so
-- sending the same file again answers the first import instead of storing its results twice. The results themselves
-- are push submissions (runs, computations, evidences) kept as any other.
create table evidence_imports (
  id           uuid primary key default gen_random_uuid(),
  target_key   text not null check (target_key ~ '^(catalog|control):[0-9a-f-]{36}$'),
  digest       text not null check (digest ~ '^[0-9a-f]{64}$'),
  format       text not null check (format in ('ocsf', 'junit', 'policyreport', 'sarif')),
  tool         text,
  imported_by  uuid references users (id) on delete set null,
  answer       jsonb not null,
  created_at   timestamptz not null default now(),
  constraint evidence_imports_file_key unique (target_key, digest)
);
