-- Issue 19: GET /overview counted each catalog's unarchived controls from controls_active_idx on every request: 9,500
-- index entries for a catalog of 9,500 drafts. It now takes the catalog's count kept by migration 0083's triggers
-- (archived controls included) less its archived controls, which this index counts: few, and only those.
create index controls_archived_idx on controls (catalog_id) where archived_at is not null;
