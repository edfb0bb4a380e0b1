-- Scope dimensions (country, team, repository…) and the values each control is evaluated for.
create table scopes (
  id             uuid primary key default gen_random_uuid(),
  name           text not null check (name ~ '^[a-z][a-z0-9_]*$' and char_length(name) <= 60),
  description    text not null default '',
  type           text not null check (type in ('string', 'number', 'boolean')),
  default_value  jsonb,
  allowed_values jsonb check (allowed_values is null or jsonb_typeof(allowed_values) = 'array'),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint scopes_name_key unique (name)
);

-- values_key is the canonical JSON of the set's values, so one control cannot hold the same set twice.
create table scope_sets (
  id         uuid primary key default gen_random_uuid(),
  control_id uuid not null references controls (id) on delete cascade,
  values_key text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint scope_sets_control_values_key unique (control_id, values_key)
);

-- One row per dimension of a set; a scope that a set uses cannot be deleted.
create table scope_set_values (
  scope_set_id uuid not null references scope_sets (id) on delete cascade,
  scope_id     uuid not null constraint scope_set_values_scope_id_fkey references scopes (id) on delete restrict,
  value        jsonb not null,
  primary key (scope_set_id, scope_id)
);
create index scope_set_values_scope_id_idx on scope_set_values (scope_id);
