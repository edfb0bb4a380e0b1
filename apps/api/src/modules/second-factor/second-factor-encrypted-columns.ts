import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import { listEncryptedTotpSecretsForUpdate, writeEncryptedTotpSecret } from "./second-factor.repository.ts";

/** Each user's TOTP secret; key rotation re-encrypts them with the other stored credentials. */
export const totpSecretColumn: EncryptedColumn = {
  name: "user_totp.secret_encrypted",
  listForUpdate: listEncryptedTotpSecretsForUpdate,
  write: writeEncryptedTotpSecret,
};
