-- Issue 19: GET /overview's series (reporting.catalog_compliance_daily) summed point_daily per request, one row per
-- control, scope, source and day: 2,800 rows for 30 days of 100 controls, 36,500 for a year, and more with every
-- control and scope added. The series needs only a catalog's points, passes and failures per UTC day, so this table
-- keeps those sums, and the view reads them: the series costs what its catalogs × days are, not what lies under them.
--
-- It is derived from point_daily by statement triggers, so every writer of point_daily (the append statement,
-- rebuild_point_reads(), a control's deletion cascading) keeps it current in the same statement and transaction.
--
-- Why shards: one row per catalog and day would make concurrent appends to different controls of one catalog wait
-- for each other's commit (each append would hold the day's row lock until then). As with catalog_control_counts
-- (migration 0083), each connection adds to the row of its own shard (its backend pid modulo 16); a catalog's day is
-- the sum of at most 16 rows, and the rows a statement touches are locked in key order.
create table catalog_daily (
  catalog_id uuid not null,
  day        timestamp not null,
  shard      smallint not null check (shard between 0 and 15),
  -- integer, as point_daily's: sum() of them is the bigint the view always gave.
  points     integer not null,
  passed     integer not null,
  failed     integer not null,
  primary key (catalog_id, day, shard)
);

comment on table catalog_daily is
  'Points, passes and failures per catalog and UTC day (the sum of its shards), derived from point_daily by triggers.';

-- The rows a statement added to point_daily (deleted ones, subtracted), as (catalog, day) deltas. Written out in each
-- function rather than shared: PL/pgSQL plans each statement once per connection, and a transition table cannot be
-- handed to another function.
create function catalog_daily_after_insert_or_delete() returns trigger language plpgsql as $$
declare
  sign constant integer := case when tg_op = 'DELETE' then -1 else 1 end;
begin
  insert into catalog_daily as t (catalog_id, day, shard, points, passed, failed)
  select catalog_id, day, pg_backend_pid() % 16, sign * sum(points), sign * sum(passed), sign * sum(failed)
    from changed group by catalog_id, day order by catalog_id, day
  on conflict (catalog_id, day, shard) do update
    set points = t.points + excluded.points, passed = t.passed + excluded.passed, failed = t.failed + excluded.failed;
  return null;
end
$$;

-- An update adds new minus old. The append's update of a row only shadows a registry point (points += 0 and its
-- counts unchanged): no delta, no row locked.
create function catalog_daily_after_update() returns trigger language plpgsql as $$
begin
  insert into catalog_daily as t (catalog_id, day, shard, points, passed, failed)
  select catalog_id, day, pg_backend_pid() % 16, sum(points), sum(passed), sum(failed)
    from (select catalog_id, day, points, passed, failed from new_rows
          union all
          select catalog_id, day, -points, -passed, -failed from old_rows) delta
   group by catalog_id, day
  having sum(points) <> 0 or sum(passed) <> 0 or sum(failed) <> 0
   order by catalog_id, day
  on conflict (catalog_id, day, shard) do update
    set points = t.points + excluded.points, passed = t.passed + excluded.passed, failed = t.failed + excluded.failed;
  return null;
end
$$;

create function catalog_daily_after_truncate() returns trigger language plpgsql as $$
begin
  truncate catalog_daily;
  return null;
end
$$;

create trigger catalog_daily_point_daily_insert after insert on point_daily
  referencing new table as changed for each statement execute function catalog_daily_after_insert_or_delete();
create trigger catalog_daily_point_daily_update after update on point_daily
  referencing old table as old_rows new table as new_rows for each statement execute function catalog_daily_after_update();
create trigger catalog_daily_point_daily_delete after delete on point_daily
  referencing old table as changed for each statement execute function catalog_daily_after_insert_or_delete();
create trigger catalog_daily_point_daily_truncate after truncate on point_daily
  for each statement execute function catalog_daily_after_truncate();

-- The triggers exist (and hold their lock on point_daily) before the backfill reads, so no change falls between.
insert into catalog_daily (catalog_id, day, shard, points, passed, failed)
select catalog_id, day, 0, sum(points), sum(passed), sum(failed) from point_daily group by catalog_id, day;

-- Same columns as migration 0063's view, summed from the catalog's shards. A catalog's day is listed when a point of
-- it is stored (point_daily rows are groups of at least one point, so their days have points > 0); a day whose points
-- were all deleted with their control is left with zero sums here and is not listed, as before.
create or replace view reporting.catalog_compliance_daily as
select d.catalog_id,
       cat.name                                               as catalog_name,
       d.day,
       sum(d.points)::bigint                                  as points,
       sum(d.passed)::bigint                                  as passed,
       sum(d.failed)::bigint                                  as failed,
       round(100.0 * sum(d.passed) / nullif(sum(d.passed) + sum(d.failed), 0), 2) as compliance
  from catalog_daily d
  join catalogs cat on cat.id = d.catalog_id
 group by d.catalog_id, cat.name, d.day
having sum(d.points) > 0;
