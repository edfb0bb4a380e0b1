-- Push controls (issue 20): a control of kind `push` has no mashup; its evidence is sent to
-- POST /controls/:id/evidence, each submission stored as a run (trigger `push`) with its computation, and the window's
-- point appended when the window closes. `mashup` controls are unchanged.
alter table controls add column kind text not null default 'mashup' check (kind in ('mashup', 'push'));
alter table controls add constraint controls_push_without_mashup_check check (kind = 'mashup' or mashup_id is null);
-- A finalized control needs what evaluates it: a mashup, or evidence pushed to it.
alter table controls drop constraint controls_finalized_check;
alter table controls add constraint controls_finalized_check check (status = 'draft' or mashup_id is not null or kind = 'push');

-- A push control's versions name no mashup. The digest (control_version_digest, concat_ws) leaves a null line out,
-- so existing versions keep their digests and a push version cannot be read as a mashup's.
alter table control_versions alter column mashup_id drop not null;

alter table run_batches drop constraint run_batches_trigger_check;
alter table run_batches add constraint run_batches_trigger_check
  check (trigger in ('manual', 'schedule', 'backfill', 'collector', 'push'));
alter table runs drop constraint runs_trigger_check;
alter table runs add constraint runs_trigger_check check (trigger in ('manual', 'schedule', 'backfill', 'collector', 'push'));
-- The close of push windows looks up the open submissions of closed windows without a point.
create index computations_push_open_idx on computations (window_end) where is_provisional and point_id is null and status = 'ready';

-- A push control is evaluated (due, and stale when its evidence does not come) like a control with a mashup.
-- Migration 0063's view (newest points from point_latest) with that one change.
create or replace view reporting.control_states as
with lives as (
  select c.id as control_id, c.catalog_id, c.name as control_name, c.period, c.threshold, c.status,
         cat.name as catalog_name, cat.time_zone, cat.first_day_of_week, c.stale_grace_minutes,
         greatest(c.start_date, cat.start_date) as life_start,
         least(c.end_date, cat.end_date) as life_end,
         (c.archived_at is not null or cat.archived_at is not null) as is_archived,
         (c.status = 'finalized' and cat.status = 'finalized' and (c.mashup_id is not null or c.kind = 'push')
          and greatest(c.start_date, cat.start_date) is not null
          -- Archived (on its own or with its catalog): no longer evaluated, so never due and never stale.
          and c.archived_at is null and cat.archived_at is null) as is_active
    from controls c
    join catalogs cat on cat.id = c.catalog_id
),
scopes as (
  select lives.*, coalesce(ss.values_key, '{}') as scope_key, ss.created_at as scope_since
    from lives
    left join scope_sets ss on ss.control_id = lives.control_id
),
latest as (
  select scopes.*, newest.window_start, newest.window_end, newest.result, newest.created_at as evaluated_at,
         coalesce(newest.window_end,
                  reporting.first_window_start(scopes.period, greatest(scopes.life_start, scopes.scope_since),
                                               scopes.time_zone, scopes.first_day_of_week)) as due_from
    from scopes
    -- The newest point of each scope, from the table migration 0063 keeps (as its version of this view does).
    left join point_latest newest on newest.control_id = scopes.control_id and newest.scope_key = scopes.scope_key
),
due as (
  select latest.*,
         case when reporting.add_periods(period, due_from, time_zone, 1) <= coalesce(life_end, 'infinity')
              then case when stale_grace_minutes is null
                        then reporting.add_periods(period, due_from, time_zone, 2)
                        else reporting.add_periods(period, due_from, time_zone, 1) + stale_grace_minutes * interval '1 minute'
                   end
         end as scope_stale_at
    from latest
)
select catalog_id, catalog_name, control_id, control_name, period, threshold, status, is_active, is_archived,
       stale_grace_minutes,
       case when bool_or(result = 'fail') then 'fail'
            when bool_or(result = 'pass') then 'pass'
            when bool_or(result is not null) then 'not_applicable' end as last_result,
       max(window_start) as last_window_start,
       max(window_end) as last_window_end,
       max(evaluated_at) as last_evaluated_at,
       count(*) filter (where result = 'fail') as failing_scopes,
       case when is_active then min(scope_stale_at) end as stale_at,
       reporting.control_state(is_active, case when is_active then min(scope_stale_at) end,
                               case when bool_or(result = 'fail') then 'fail'
                                    when bool_or(result = 'pass') then 'pass'
                                    when bool_or(result is not null) then 'not_applicable' end,
                               now()) as state
  from due
 group by catalog_id, catalog_name, control_id, control_name, period, threshold, status, is_active, is_archived,
          stale_grace_minutes;
