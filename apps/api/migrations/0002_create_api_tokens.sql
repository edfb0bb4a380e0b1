-- Personal API tokens: only a SHA-256 of the secret is kept, with a visible prefix to recognise it.
create table api_tokens (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references users (id) on delete cascade,
  name         text not null check (char_length(name) between 1 and 100),
  prefix       text not null,
  token_hash   text not null,
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz not null default now(),
  constraint api_tokens_token_hash_key unique (token_hash)
);
create index api_tokens_user_id_idx on api_tokens (user_id, created_at desc);
