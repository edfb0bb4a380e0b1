-- Frameworks (ISO 27001, SOC 2, NIST SP 800-53…): versioned sets of requirements, imported and then read-only. A
-- framework is identified by its name and version: importing the same pair again updates its requirements in place by
-- requirement key, so mappings to them survive. Nothing here is deleted by the API (mappings are evidence of intent).
create table frameworks (
  id               uuid primary key default gen_random_uuid(),
  name             text not null check (char_length(name) between 1 and 200),
  version          text not null check (char_length(version) between 1 and 100),
  description      text not null default '',
  source           text not null check (source in ('oscal-catalog', 'oscal-profile', 'csv', 'xlsx', 'library')),
  oscal_version    text,
  source_uuid      text,
  -- The OSCAL metadata as imported (title, parties, roles…), so an export carries it back out.
  metadata         jsonb,
  resolved_from_id uuid references frameworks (id) on delete restrict,
  imported_by      uuid references users (id) on delete set null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create unique index frameworks_name_version_key on frameworks (lower(name), version);

-- Groups of requirements (OSCAL groups, a sheet's group column); they may nest.
create table framework_groups (
  framework_id uuid not null references frameworks (id) on delete cascade,
  group_key    text not null check (char_length(group_key) between 1 and 200),
  title        text not null,
  parent_key   text,
  position     integer not null,
  -- The OSCAL group without its controls and subgroups (props, parts), for export.
  oscal        jsonb,
  primary key (framework_id, group_key)
);

-- One requirement: `requirement_key` is its id in the framework (`ac-2.1`, `CC8.1`), `parent_key` makes an
-- enhancement a child of its control. `oscal` keeps the imported control without its children, for a faithful export.
create table requirements (
  id              uuid primary key default gen_random_uuid(),
  framework_id    uuid not null references frameworks (id) on delete cascade,
  requirement_key text not null check (char_length(requirement_key) between 1 and 200),
  label           text,
  title           text not null,
  statement       text not null default '',
  guidance        text not null default '',
  group_key       text,
  parent_key      text,
  class_name      text,
  position        integer not null,
  depth           integer not null default 0 check (depth >= 0),
  params          jsonb not null default '[]'::jsonb check (jsonb_typeof(params) = 'array'),
  oscal           jsonb,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create unique index requirements_framework_key on requirements (framework_id, requirement_key);
create index requirements_framework_position_idx on requirements (framework_id, position);
create index requirements_framework_parent_idx on requirements (framework_id, parent_key);

-- A STATUS control linked to a requirement of any framework with a NIST IR 8477 relationship, read
-- "control <relationship> requirement". A requirement with mappings cannot disappear (on delete restrict).
create table control_requirements (
  id             uuid primary key default gen_random_uuid(),
  control_id     uuid not null references controls (id) on delete cascade,
  requirement_id uuid not null references requirements (id) on delete restrict,
  relationship   text not null
    check (relationship in ('equivalent-to', 'subset-of', 'superset-of', 'intersects-with')),
  rationale      text check (rationale is null or char_length(rationale) <= 2000),
  created_by     uuid references users (id) on delete set null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create unique index control_requirements_pair_key on control_requirements (control_id, requirement_id);
create index control_requirements_requirement_idx on control_requirements (requirement_id);
