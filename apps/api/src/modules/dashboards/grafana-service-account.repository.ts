import type { Queryable } from "../../db/database.ts";

/** The service account STATUS made for itself in Grafana, with its token as stored (encrypted). */
export interface StoredGrafanaServiceAccount {
  grafanaUrl: string;
  serviceAccountId: number;
  tokenId: number;
  tokenEncrypted: string;
}

export async function findGrafanaServiceAccount(db: Queryable): Promise<StoredGrafanaServiceAccount | undefined> {
  const result = await db.query<StoredGrafanaServiceAccount>(
    `select grafana_url as "grafanaUrl", service_account_id as "serviceAccountId", token_id as "tokenId",
            token_encrypted as "tokenEncrypted"
       from grafana_service_account where id`,
  );
  return result.rows[0];
}

export async function saveGrafanaServiceAccount(db: Queryable, row: StoredGrafanaServiceAccount): Promise<void> {
  await db.query(
    `insert into grafana_service_account (id, grafana_url, service_account_id, token_id, token_encrypted)
     values (true, $1, $2, $3, $4)
     on conflict (id) do update set grafana_url = excluded.grafana_url, service_account_id = excluded.service_account_id,
       token_id = excluded.token_id, token_encrypted = excluded.token_encrypted, updated_at = now()`,
    [row.grafanaUrl, row.serviceAccountId, row.tokenId, row.tokenEncrypted],
  );
}

/** The stored token's ciphertext, locked for key rotation. */
export async function listEncryptedGrafanaTokensForUpdate(db: Queryable): Promise<{ id: string; blob: string }[]> {
  const result = await db.query<{ id: string; blob: string }>(
    `select 'grafana_service_account' as id, token_encrypted as blob from grafana_service_account where id for update`,
  );
  return result.rows;
}

/** Replaces the stored token's ciphertext (key rotation); the account and token ids stay. */
export async function writeEncryptedGrafanaToken(db: Queryable, blob: string): Promise<void> {
  await db.query(`update grafana_service_account set token_encrypted = $1, updated_at = now() where id`, [blob]);
}
