-- The control list's default order (lower(name), id) over the controls it shows by default (not archived): a page is
-- then the next rows of this index, not a sort of every control (issue 19: GET /controls over 10,000 controls).
create index controls_listed_by_name_idx on controls (lower(name), id) where archived_at is null;
