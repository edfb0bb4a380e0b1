-- Issue 19: migration 0081's triggers refresh control_latest from reporting.control_states on every point append, and
-- the engine's bench (npm run bench:compute) showed what that costs: about 0.55 ms of Postgres per refreshed control of
-- 11 scopes, most of it in reporting.scope_stale_at. Its argument to reporting.stale_after (a coalesce over
-- reporting.first_window_start) is not a simple one and stale_after uses it three times, so the planner could not
-- inline stale_after: it ran through the SQL-function executor once per scope row, about 30 µs each. The same rule
-- here computes the due moment once into a variable, which lets stale_after inline into one expression. Its answers
-- are 0079's (compared over periods, zones with DST changes, grace and life ends in control-latest-refresh.int.test.ts);
-- only the cost changes (so control_latest needs no refresh): a refresh of one control 0.55 → 0.25 ms, the view's
-- stale_at over 10 controls 1.1 → 0.4 ms. A new session compiles the function once (about 1 ms).
create or replace function reporting.scope_stale_at(period text, newest_window_end timestamptz, since timestamptz,
                                                    life_end timestamptz, time_zone text, first_day_of_week integer,
                                                    stale_grace_minutes integer)
returns timestamptz language plpgsql stable parallel safe as $$
declare
  due_from timestamptz := coalesce(newest_window_end,
                                   reporting.first_window_start(period, since, time_zone, first_day_of_week));
begin
  return reporting.stale_after(period, due_from, life_end, time_zone, stale_grace_minutes);
end;
$$;

-- An append's insert … on conflict fires both statement triggers, and one of the two transition tables is nearly
-- always empty (a scope's first point inserts, every later one updates): the empty one refreshed nothing through three
-- statements, about 0.2 ms per append. It now returns at once.
create or replace function control_latest_after_points() returns trigger language plpgsql as $$
declare
  ids uuid[] := array(select distinct control_id from changed);
begin
  if cardinality(ids) > 0 then
    perform refresh_control_latest(ids);
  end if;
  return null;
end;
$$;
