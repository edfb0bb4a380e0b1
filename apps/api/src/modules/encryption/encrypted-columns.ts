import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import { aiSettingsApiKeyColumn } from "../ai/index.ts";
import { grafanaServiceAccountTokenColumn } from "../dashboards/index.ts";
import { totpSecretColumn } from "../second-factor/index.ts";
import { webhookSecretColumns } from "../webhooks/index.ts";

/**
 * Every column that holds a credential encrypted with STATUS_ENCRYPTION_KEY. A new encrypted column registers here
 * (an EncryptedColumn from its module), and key rotation then re-encrypts it with the others.
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  aiSettingsApiKeyColumn,
  grafanaServiceAccountTokenColumn,
  totpSecretColumn,
  ...webhookSecretColumns,
];
