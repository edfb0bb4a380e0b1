-- When a run first found Node-RED unreachable or still loading its flows (refused, reset, 502/503, a 404 for a flow
-- the flow list has), in the current stretch of such tries. Those tries give their attempt back, so a Node-RED
-- restart does not use up RUN_MAX_ATTEMPTS; the run waits with backoff until NODE_RED_WAIT_MAX_MS has passed since
-- this time, then ends `error`. Null once Node-RED has answered (or never failed to).
alter table runs add column node_red_waiting_since timestamptz;
