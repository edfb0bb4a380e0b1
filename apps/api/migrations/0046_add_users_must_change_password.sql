-- An administrator's password reset: the user signs in with the password they were given and must choose their own
-- before anything else (the API answers 403 `password_change_required` to every other route of such a session).
alter table users add column must_change_password boolean not null default false;
