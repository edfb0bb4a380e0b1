-- Issue 19 item 3: every engine append refreshes the control_latest rows of its controls (migration 0081's
-- refresh_control_latest, from the point_latest trigger), and that refresh was the largest trigger cost of an append.
-- It runs a generic plan (planning the view per call cost more than running it), and a generic plan cannot know that
-- `ids` holds a few controls: while the tables are small (or before they are analysed) the planner hashed the whole
-- of scope_sets, point_latest, catalogs and control_latest for each call, reading every control's rows to refresh one.
-- A refresh only ever looks up the rows of the controls it is given, so its plan is fixed to key lookups (nested loops
-- over the primary keys and scope_sets_control_values_key), the plan a custom plan for a few ids chooses: CPU of a
-- refresh of one control of 11 scopes 0.54–0.97 → 0.31–0.59 ms (3 alternating rounds of 1,500 calls on a kept
-- bench:compute database). The settings hold for the function's own statements only; its results are unchanged
-- (control-latest*.int.test.ts compare them with reporting.control_states).
alter function refresh_control_latest(uuid[])
  set enable_hashjoin = off
  set enable_mergejoin = off
  set enable_seqscan = off;
