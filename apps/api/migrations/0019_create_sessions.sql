-- Signed-in sessions: one row per refresh-token family, the source of truth (the cache only speeds up the
-- per-request check and may be empty or down). Never the raw refresh token: only SHA-256 hashes are kept.
-- Later work (a user's own sessions list, sign-in hardening, second factors, OIDC) builds on this table.
create table sessions (
  id                        uuid primary key,
  user_id                   uuid not null references users (id) on delete cascade,
  auth_method               text not null check (auth_method in ('password', 'github', 'oidc')),
  -- When the session proved a second factor; null until second factors exist, or when it did not.
  second_factor_verified_at timestamptz,
  user_agent                text check (user_agent is null or char_length(user_agent) <= 512),
  device_label              text check (device_label is null or char_length(device_label) <= 120),
  ip_address                text check (ip_address is null or char_length(ip_address) <= 64),
  created_at                timestamptz not null,
  last_used_at              timestamptz not null,
  -- Sliding: each refresh moves it REFRESH_TOKEN_TTL_SECONDS ahead.
  expires_at                timestamptz not null,
  revoked_at                timestamptz,
  revoke_reason             text check (revoke_reason in (
                              'logout', 'refresh_token_reused', 'password_changed', 'account_changed',
                              'account_disabled', 'account_deleted', 'revoked_by_user', 'revoked_by_admin')),
  constraint sessions_revoked_check check ((revoked_at is null) = (revoke_reason is null)),
  constraint sessions_expiry_check check (expires_at >= created_at)
);
create index sessions_user_idx on sessions (user_id, created_at desc);
-- Retention removes sessions that ended long ago.
create index sessions_ended_idx on sessions (coalesce(revoked_at, expires_at));

-- Every refresh token a session was given, by hash: rotation marks the presented one used and issues the next, and a
-- used token presented again (outside a short grace for two tabs racing) reveals a stolen token and ends the family.
create table session_refresh_tokens (
  token_hash text primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  issued_at  timestamptz not null,
  expires_at timestamptz not null,
  used_at    timestamptz
);
create index session_refresh_tokens_session_idx on session_refresh_tokens (session_id);
create index session_refresh_tokens_expiry_idx on session_refresh_tokens (expires_at);
