-- Grafana panels linked to a control, so the control page can show the charts about it. The dashboard and panel
-- titles are copied at link time: listing a control's panels needs no call to Grafana per panel.
create table control_panels (
  id              uuid primary key default gen_random_uuid(),
  control_id      uuid not null references controls (id) on delete cascade,
  dashboard_uid   text not null check (dashboard_uid ~ '^[A-Za-z0-9_-]{1,40}$'),
  panel_id        integer not null check (panel_id >= 0),
  dashboard_title text not null check (char_length(dashboard_title) <= 200),
  panel_title     text not null check (char_length(panel_title) <= 500),
  created_by      uuid references users (id) on delete set null,
  created_at      timestamptz not null default now(),
  constraint control_panels_link_key unique (control_id, dashboard_uid, panel_id)
);
create index control_panels_dashboard_idx on control_panels (dashboard_uid);
