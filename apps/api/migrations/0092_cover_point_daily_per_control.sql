-- Issue 19 item 5 at 10 M points: GET /registry/compliance per control and GET /registry/trends sum one control's
-- rollup rows (point_daily_control_idx), ~4,200 of them per control at 10 M points (5 scopes × 833 days). The rows of
-- a control lie on as many heap pages (point_daily is written day by day, every control's row of a day together), so
-- each row was a heap page read: about 110,000 buffers for a catalog of 26 controls. The counts the answers sum are
-- now in the index itself, read in an index-only scan (about 60 leaf pages per control). `scope` (jsonb) is left out:
-- a scope-filtered answer reads the heap as before. The price: an append's update of a day's counts changes indexed
-- columns, so it is no longer a HOT update and writes an entry into each index of point_daily.
create index point_daily_control_counts_idx on point_daily (control_id, day)
  include (source, points, passed, failed, not_applicable, value_sum, value_count, shadowed_points, shadowed_passed,
           shadowed_failed, shadowed_not_applicable, shadowed_value_sum, shadowed_value_count);
drop index point_daily_control_idx;
