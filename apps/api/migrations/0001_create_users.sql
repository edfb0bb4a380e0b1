-- Accounts. Usernames and e-mails are unique case-insensitively; a GitHub account links to at most one user.
create table users (
  id                  uuid primary key default gen_random_uuid(),
  username            text not null check (char_length(username) between 3 and 60),
  email               text check (email is null or char_length(email) <= 254),
  display_name        text check (display_name is null or char_length(display_name) <= 120),
  role                text not null check (role in ('ADMIN', 'DEVELOPER', 'USER')),
  password_hash       text,
  github_id           text,
  github_login        text,
  is_disabled         boolean not null default false,
  last_login_at       timestamptz,
  password_changed_at timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));
create unique index users_email_key on users (lower(email)) where email is not null;
create unique index users_github_id_key on users (github_id) where github_id is not null;
