-- Catalogs group controls; a finalized catalog is evaluated and never returns to draft.
create table catalogs (
  id           uuid primary key default gen_random_uuid(),
  name         text not null check (char_length(name) between 1 and 100),
  description  text not null default '' check (char_length(description) <= 2000),
  start_date   timestamptz,
  end_date     timestamptz,
  time_zone    text not null default 'UTC',
  status       text not null default 'draft' check (status in ('draft', 'finalized')),
  finalized_at timestamptz,
  created_by   uuid references users (id) on delete set null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint catalogs_dates_check check (start_date is null or end_date is null or end_date > start_date),
  constraint catalogs_finalized_check check ((status = 'finalized') = (finalized_at is not null)),
  constraint catalogs_finalized_dates_check check (status = 'draft' or start_date is not null)
);
create unique index catalogs_name_key on catalogs (lower(name));
create index catalogs_status_idx on catalogs (status, name);

-- A control is one periodic check, evaluated by its mashup (a Node-RED flow) against a threshold in percent.
create table controls (
  id          uuid primary key default gen_random_uuid(),
  catalog_id  uuid not null references catalogs (id) on delete cascade,
  name        text not null check (char_length(name) between 1 and 100),
  description text not null default '' check (char_length(description) <= 2000),
  period      text not null check (period in ('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUALLY')),
  start_date  timestamptz,
  end_date    timestamptz,
  mashup_id   text,
  params      jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
  threshold   numeric(5, 2) not null check (threshold between 0 and 100),
  status      text not null default 'draft' check (status in ('draft', 'finalized')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  constraint controls_dates_check check (start_date is null or end_date is null or end_date > start_date),
  constraint controls_finalized_check check (status = 'draft' or mashup_id is not null)
);
create unique index controls_catalog_name_key on controls (catalog_id, lower(name));
create index controls_mashup_id_idx on controls (mashup_id) where mashup_id is not null;
