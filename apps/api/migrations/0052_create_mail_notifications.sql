-- E-mail notifications (issue 15): what each user wants to hear about, and the mail waiting to be sent.

-- One row per user who saved preferences. `scope`: 'all' controls, the 'selected' catalogs and controls, or the
-- controls the user 'owned_or_watched'. An empty `event_types` means no mail. Ids are not foreign keys: catalogs and
-- controls are archived, never deleted, and a preference naming an archived one simply stops matching new events.
create table notification_preferences (
  user_id     uuid primary key references users (id) on delete cascade,
  event_types text[] not null check (event_types <@ array['control.failing', 'control.recovered', 'control.stale',
                                                          'control.fresh', 'run.error', 'catalog.compliance_below']),
  scope       text not null check (scope in ('all', 'selected', 'owned_or_watched')),
  catalog_ids uuid[] not null default '{}',
  control_ids uuid[] not null default '{}',
  delivery    text not null check (delivery in ('immediate', 'hourly', 'daily')),
  updated_at  timestamptz not null
);

-- One row per event and recipient: immediate mail is due at once, a digest at the end of its UTC hour or day. A
-- sender claims a user's due rows (for update skip locked), sends one mail with all of them and marks them sent in the
-- same transaction, so a crash between the two sends again rather than losing anything. A failed send leaves the rows
-- unsent with a later `due_at` (backoff); rows are kept once sent, as the record of what went out.
create table mail_queue (
  id          bigint generated always as identity primary key,
  user_id     uuid not null references users (id) on delete cascade,
  event_id    text not null check (char_length(event_id) between 1 and 200),
  event_type  text not null check (char_length(event_type) between 1 and 100),
  event       jsonb not null,
  delivery    text not null check (delivery in ('immediate', 'hourly', 'daily')),
  due_at      timestamptz not null,
  attempts    integer not null default 0 check (attempts >= 0),
  last_error  text check (last_error is null or char_length(last_error) <= 1000),
  created_at  timestamptz not null,
  sent_at     timestamptz,
  -- An event handed over twice (at-least-once dispatch) queues one mail per user.
  constraint mail_queue_event_user_key unique (event_id, user_id)
);
create index mail_queue_due_idx on mail_queue (due_at, user_id) where sent_at is null;
