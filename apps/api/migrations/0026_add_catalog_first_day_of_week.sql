-- Weekly windows start on this day, at local midnight in the catalog's time zone (ISO numbering: 1 = Monday … 7 =
-- Sunday). Existing catalogs keep Monday, the ISO week they were evaluated with so far.
alter table catalogs
  add column first_day_of_week smallint not null default 1
    constraint catalogs_first_day_of_week_check check (first_day_of_week between 1 and 7);
