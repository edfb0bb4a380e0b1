-- Versioned controls: what decided a finalized control's results (period, threshold, mashup, parameters, scope sets),
-- version by version, with who, when and why. The control row stays the head the API answers; `controls.version`
-- names its latest version, whose result-deciding fields always equal the head's.
create table control_versions (
  control_id      uuid not null references controls (id) on delete cascade,
  version         integer not null check (version >= 1),
  period          text not null check (period in ('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ANNUALLY')),
  threshold       numeric(5, 2) not null check (threshold between 0 and 100),
  mashup_id       text not null,
  params          jsonb not null check (jsonb_typeof(params) = 'object'),
  -- [{id, values}] ordered by the sets' canonical keys; empty: evaluated once, for the empty scope.
  scope_sets      jsonb not null check (jsonb_typeof(scope_sets) = 'array'),
  -- Start of the first window evaluated under this version; null: from the control's first window. Windows before
  -- it (a backfill, say) are evaluated under the version before.
  effective_from  timestamptz,
  reason          text not null check (char_length(reason) between 1 and 1000),
  -- The author is copied by id and name, without a foreign key (as in audit_log), so history outlives deleted users.
  created_by      uuid,
  created_by_name text,
  created_at      timestamptz not null default now(),
  -- Each version's digest covers the one before it, so editing or removing a version breaks every later digest, and
  -- points (hash scheme 2) cover the digest of the version they were computed under.
  prev_digest     text,
  digest          text not null,
  primary key (control_id, version)
);

-- The digest of a version: sha256 over its fields, one per line, after the digest of the version before. jsonb is
-- hashed in Postgres's own text form, so the migration below and the API seal versions alike, and a verifier reads
-- that form back (params::text) instead of re-serialising. The API's verifier computes the same text
-- (modules/controls/control-version-digest.ts); a test holds the two together.
create function control_version_digest(v control_versions) returns text language sql stable as $$
  select encode(sha256(convert_to(concat_ws(E'\n',
    coalesce(v.prev_digest, 'genesis'),
    'control-version-1',
    v.control_id::text,
    v.version::text,
    v.period,
    v.threshold::text,
    v.mashup_id,
    v.params::text,
    v.scope_sets::text,
    coalesce(to_char(v.effective_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '-'),
    v.reason,
    coalesce(v.created_by::text, '-'),
    coalesce(v.created_by_name, '-'),
    to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  ), 'UTF8')), 'hex')
$$;

-- Sealing on insert: the time to the millisecond (what the digest and JavaScript both see), the link to the version
-- before, and the digest. Nobody supplies these.
create function control_versions_seal() returns trigger language plpgsql as $$
begin
  new.created_at := date_trunc('milliseconds', new.created_at);
  new.prev_digest := (select digest from control_versions where control_id = new.control_id and version = new.version - 1);
  new.digest := control_version_digest(new);
  return new;
end;
$$;
create trigger control_versions_seal before insert on control_versions
  for each row execute function control_versions_seal();

-- A version is a recorded fact: a change is the next version, never an edit of this one.
create function control_versions_are_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'control_versions rows are immutable: a change is a new version';
end;
$$;
create trigger control_versions_immutable before update on control_versions
  for each row execute function control_versions_are_immutable();

-- Version 1 of every finalized control, from its head as it stands now. The points it has so far were computed
-- before versions existed, perhaps under other settings, so they keep no version (and hash scheme 1).
insert into control_versions (control_id, version, period, threshold, mashup_id, params, scope_sets, effective_from,
                              reason, created_by, created_by_name)
select c.id, 1, c.period, c.threshold, c.mashup_id, c.params,
       coalesce((select jsonb_agg(jsonb_build_object('id', ss.id, 'values',
                          coalesce((select jsonb_object_agg(s.name, sv.value)
                                      from scope_set_values sv join scopes s on s.id = sv.scope_id
                                     where sv.scope_set_id = ss.id), '{}'::jsonb))
                        order by ss.values_key, ss.id)
                   from scope_sets ss where ss.control_id = c.id), '[]'::jsonb),
       null, 'Recorded when control versions were introduced: the control as it stood then', null, null
  from controls c
 where c.status = 'finalized';

alter table controls add column version integer;
update controls set version = 1 where status = 'finalized';
alter table controls
  add constraint controls_version_check check ((status = 'finalized') = (version is not null)),
  -- The head's version exists (versions are inserted before the head names them).
  add constraint controls_version_fkey foreign key (id, version) references control_versions (control_id, version)
    on delete no action;
