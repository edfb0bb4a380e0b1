-- Scanner rule → control mappings of a catalog (issue 20): a rule id (exact) or glob pattern, optionally for one
-- scanner format, names the control an imported result becomes evidence of. Not evidence themselves: editing or
-- removing a rule changes future imports only (each change is audited).
create table evidence_mappings (
  id          uuid primary key default gen_random_uuid(),
  catalog_id  uuid not null references catalogs (id) on delete cascade,
  pattern     text not null check (char_length(pattern) between 1 and 300),
  format      text check (format in ('ocsf', 'junit', 'policyreport', 'sarif')),
  control_id  uuid not null references controls (id) on delete cascade,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  -- One rule per pattern and format in a catalog, "any format" (null) counting as one value.
  constraint evidence_mappings_pattern_key unique nulls not distinct (catalog_id, pattern, format)
);
create index evidence_mappings_control_idx on evidence_mappings (control_id);
