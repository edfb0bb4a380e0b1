import type { Queryable } from "../../db/database.ts";

/** The stored settings row; null columns mean "use the configuration". */
export interface AiSettingsRow {
  apiKeyEncrypted: string | null;
  apiKeyLast4: string | null;
  baseUrl: string | null;
  defaultModel: string | null;
  dailyRequestLimit: number | null;
  dailyTokenLimit: number | null;
  updatedAt: string | null;
}

const EMPTY: AiSettingsRow = {
  apiKeyEncrypted: null,
  apiKeyLast4: null,
  baseUrl: null,
  defaultModel: null,
  dailyRequestLimit: null,
  dailyTokenLimit: null,
  updatedAt: null,
};

export async function findAiSettingsRow(db: Queryable, options: { forUpdate?: boolean } = {}): Promise<AiSettingsRow> {
  const result = await db.query<AiSettingsRow>(
    `select api_key_encrypted as "apiKeyEncrypted", api_key_last4 as "apiKeyLast4", base_url as "baseUrl", default_model as "defaultModel",
            daily_request_limit as "dailyRequestLimit", daily_token_limit as "dailyTokenLimit", updated_at as "updatedAt"
       from ai_settings where id ${options.forUpdate ? "for update" : ""}`,
  );
  return result.rows[0] ?? EMPTY;
}

export async function upsertAiSettingsRow(
  db: Queryable,
  row: Omit<AiSettingsRow, "updatedAt">,
  updatedBy: string,
): Promise<void> {
  await db.query(
    `insert into ai_settings (id, api_key_encrypted, api_key_last4, base_url, default_model, daily_request_limit, daily_token_limit, updated_by, updated_at)
     values (true, $1, $2, $3, $4, $5, $6, $7, now())
     on conflict (id) do update set api_key_encrypted = excluded.api_key_encrypted, api_key_last4 = excluded.api_key_last4,
       base_url = excluded.base_url, default_model = excluded.default_model, daily_request_limit = excluded.daily_request_limit,
       daily_token_limit = excluded.daily_token_limit, updated_by = excluded.updated_by, updated_at = now()`,
    [
      row.apiKeyEncrypted,
      row.apiKeyLast4,
      row.baseUrl,
      row.defaultModel,
      row.dailyRequestLimit,
      row.dailyTokenLimit,
      updatedBy,
    ],
  );
}

/** The stored API key, locked until the transaction ends (key rotation); none when no key is stored. */
export async function listEncryptedAiKeysForUpdate(db: Queryable): Promise<{ id: string; blob: string }[]> {
  const result = await db.query<{ id: string; blob: string }>(
    `select 'ai_settings' as id, api_key_encrypted as blob from ai_settings where api_key_encrypted is not null for update`,
  );
  return result.rows;
}

/** Replaces the stored API key's ciphertext (key rotation); the key itself, its last four and the audit stay. */
export async function writeEncryptedAiKey(db: Queryable, blob: string): Promise<void> {
  await db.query(`update ai_settings set api_key_encrypted = $1 where id`, [blob]);
}
