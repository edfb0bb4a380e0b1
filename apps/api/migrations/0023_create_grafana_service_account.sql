-- The Grafana service account STATUS makes for itself when it has Grafana's admin credentials (GRAFANA_ADMIN_PASSWORD)
-- and no GRAFANA_SERVICE_ACCOUNT_TOKEN: one row, holding the account's and the token's ids in Grafana and the token,
-- encrypted with STATUS_ENCRYPTION_KEY (AES-256-GCM, "v1:iv:tag:ciphertext"). The Grafana URL is kept with it: a token
-- of another Grafana is never sent.
create table grafana_service_account (
  id                 boolean primary key default true check (id),
  grafana_url        text not null,
  service_account_id bigint not null,
  token_id           bigint not null,
  token_encrypted    text not null check (token_encrypted like 'v1:%'),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
