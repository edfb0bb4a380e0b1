-- OpenID Connect sign-in. A user is matched by the provider's issuer and `sub` (never by e-mail alone); linking an
-- existing account by a verified e-mail happens only when OIDC_ALLOW_LINK_BY_EMAIL is on.
alter table users add column oidc_issuer text check (oidc_issuer is null or char_length(oidc_issuer) <= 500);
alter table users add column oidc_subject text check (oidc_subject is null or char_length(oidc_subject) <= 255);
alter table users add constraint users_oidc_pair_check check ((oidc_issuer is null) = (oidc_subject is null));
create unique index users_oidc_subject_key on users (oidc_issuer, oidc_subject) where oidc_subject is not null;

-- A sign-in on its way through the provider: the state (kept by hash; the browser holds it in a cookie), the PKCE
-- verifier and the nonce. Each is used once, so a replayed callback is refused; rows live for minutes.
create table oidc_login_states (
  state_hash    text primary key check (char_length(state_hash) = 64),
  code_verifier text not null check (char_length(code_verifier) between 43 and 128),
  nonce         text not null check (char_length(nonce) <= 128),
  created_at    timestamptz not null,
  expires_at    timestamptz not null,
  used_at       timestamptz
);
create index oidc_login_states_expiry_idx on oidc_login_states (expires_at);
