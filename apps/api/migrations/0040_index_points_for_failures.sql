-- "Failed in this period" on the overview (modules/overview/failures.repository.ts).

-- The failing points of a period, by window: the first step of the query, whatever the period asked for.
create index points_failed_in_period_idx on points (window_start) include (control_id, catalog_id) where result = 'fail';

-- One control's windows in time order: how many it had in the period, its newest failing computation and the start
-- of its current failing streak.
create index points_control_windows_idx on points (control_id, window_start) include (result, computation_id);
