-- Issue 15: which side of ALERT_COMPLIANCE_LEVEL each catalog's compliance was on when the alert sweep last looked,
-- so catalog.compliance_below is written once per crossing (and again only after the catalog went back above).
create table catalog_compliance_marks (
  catalog_id  uuid primary key references catalogs (id) on delete cascade,
  is_below    boolean not null,
  compliance  numeric(5, 2),
  updated_at  timestamptz not null default now()
);
