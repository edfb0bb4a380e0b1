-- Alerts Grafana's provisioned contact point posted to STATUS (grafana/provisioning/alerting/, issue 15): one row per
-- alert instance and state change. Grafana repeats a firing alert at every repeat interval and may retry a delivery;
-- the unique key keeps one row per instance (fingerprint), status and start. Rows are never updated: the record of
-- what Grafana reported.
create table grafana_alerts (
  id            bigint generated always as identity primary key,
  fingerprint   text not null check (char_length(fingerprint) between 1 and 100),
  status        text not null check (status in ('firing', 'resolved')),
  rule_uid      text check (rule_uid is null or char_length(rule_uid) <= 100),
  title         text not null check (char_length(title) <= 500),
  labels        jsonb not null,
  annotations   jsonb not null,
  value_string  text check (value_string is null or char_length(value_string) <= 2000),
  starts_at     timestamptz not null,
  ends_at       timestamptz,
  generator_url text check (generator_url is null or char_length(generator_url) <= 2000),
  received_at   timestamptz not null,
  constraint grafana_alerts_instance_key unique (fingerprint, status, starts_at)
);
create index grafana_alerts_received_idx on grafana_alerts (received_at desc, id desc);
