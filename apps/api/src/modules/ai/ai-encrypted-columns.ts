import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import { listEncryptedAiKeysForUpdate, writeEncryptedAiKey } from "./ai-settings.repository.ts";

/** The AI provider's API key, the one stored credential today. */
export const aiSettingsApiKeyColumn: EncryptedColumn = {
  name: "ai_settings.api_key_encrypted",
  listForUpdate: listEncryptedAiKeysForUpdate,
  write: (tx, _id, blob) => writeEncryptedAiKey(tx, blob),
};
