-- Failed sign-ins, one row each, so the lockout survives a restart and holds across API instances (the cache may be
-- empty or down). Throttling reads them per username and address; a username-wide lock needs failures from many
-- distinct addresses. Rows older than the longest window are deleted as new failures arrive: they are not evidence.
create table login_failures (
  id           bigint generated always as identity primary key,
  -- lower(username) as typed: unknown usernames are throttled the same way, so answers do not reveal which exist.
  username_key text not null check (char_length(username_key) between 1 and 60),
  ip_address   text not null check (char_length(ip_address) between 1 and 64),
  failed_at    timestamptz not null
);
create index login_failures_username_idx on login_failures (username_key, failed_at);
create index login_failures_address_idx on login_failures (ip_address, failed_at);
create index login_failures_failed_at_idx on login_failures (failed_at);
