-- Second factors (TOTP, RFC 6238) for local accounts. The secret is encrypted with STATUS_ENCRYPTION_KEY
-- (AES-256-GCM, "v1:iv:tag:ciphertext") and re-encrypted by key rotation. An enrolment is unconfirmed until the user
-- proves a code from it; only confirmed factors are asked for at sign-in.
create table user_totp (
  user_id          uuid primary key references users (id) on delete cascade,
  secret_encrypted text not null check (secret_encrypted like 'v1:%'),
  confirmed_at     timestamptz,
  -- The last accepted time step: a code is accepted once, and none from an earlier step after it.
  last_used_step   bigint,
  created_at       timestamptz not null
);

-- Ten single-use recovery codes per confirmed enrolment, shown once and kept only as SHA-256 hashes (they are 50
-- random bits each, so a slow hash adds nothing). A new enrolment or reset deletes them.
create table user_recovery_codes (
  user_id    uuid not null references users (id) on delete cascade,
  code_hash  text not null check (char_length(code_hash) = 64),
  used_at    timestamptz,
  created_at timestamptz not null,
  primary key (user_id, code_hash)
);

-- A password that was right, waiting for its second factor: a short-lived, single-use token (kept only by hash)
-- that a few wrong codes also end. `purpose` 'enrol' means the role requires a second factor the user has not set up.
create table pending_logins (
  token_hash  text primary key check (char_length(token_hash) = 64),
  user_id     uuid not null references users (id) on delete cascade,
  purpose     text not null check (purpose in ('verify', 'enrol')),
  auth_method text not null check (auth_method in ('password', 'github')),
  ip_address  text check (ip_address is null or char_length(ip_address) <= 64),
  user_agent  text check (user_agent is null or char_length(user_agent) <= 512),
  failed_attempts integer not null default 0 check (failed_attempts >= 0),
  created_at  timestamptz not null,
  expires_at  timestamptz not null,
  used_at     timestamptz
);
create index pending_logins_user_idx on pending_logins (user_id);
create index pending_logins_expiry_idx on pending_logins (expires_at);

-- Which roles must sign in with a second factor (ADMIN sets it; audited). A missing row means not required.
create table second_factor_policy (
  role        text primary key check (role in ('ADMIN', 'DEVELOPER', 'USER')),
  is_required boolean not null,
  updated_by  uuid references users (id) on delete set null,
  updated_at  timestamptz not null
);
