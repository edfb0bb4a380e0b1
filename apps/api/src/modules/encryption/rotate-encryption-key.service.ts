import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "../../lib/secret-box.ts";
import { recordAudit } from "../audit/index.ts";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns.ts";

export interface ColumnRotation {
  name: string;
  /** Values decrypted with the old key and written under the new one. */
  reEncrypted: number;
  /** Values already under the new key (a rotation that stopped before the key was switched, run again). */
  alreadyRotated: number;
}

export class KeyRotationError extends Error {}

/**
 * Re-encrypts every stored credential (ENCRYPTED_COLUMNS) from the old key to the new one in one transaction: either
 * every value is under the new key afterwards, or nothing changed. A value that neither key opens stops the rotation
 * (it would be lost). The rotation is audited, without keys or values.
 */
export async function rotateEncryptionKey(
  deps: Pick<AppDeps, "db">,
  input: { oldKey: Buffer; newKey: Buffer; columns?: readonly EncryptedColumn[] },
): Promise<ColumnRotation[]> {
  if (input.oldKey.equals(input.newKey)) throw new KeyRotationError("The new key is the same as the current one");
  const columns = input.columns ?? ENCRYPTED_COLUMNS;
  return withTransaction(deps.db, async (tx) => {
    const report: ColumnRotation[] = [];
    const unreadable: string[] = [];
    for (const column of columns) {
      const rotation: ColumnRotation = { name: column.name, reEncrypted: 0, alreadyRotated: 0 };
      for (const { id, blob } of await column.listForUpdate(tx)) {
        const plaintext = tryDecrypt(input.oldKey, blob);
        if (plaintext !== undefined) {
          await column.write(tx, id, encryptSecret(input.newKey, plaintext));
          rotation.reEncrypted += 1;
        } else if (tryDecrypt(input.newKey, blob) !== undefined) {
          rotation.alreadyRotated += 1;
        } else {
          unreadable.push(`${column.name} (row ${id})`);
        }
      }
      report.push(rotation);
    }
    if (unreadable.length > 0)
      throw new KeyRotationError(
        `Neither the current nor the new key opens: ${unreadable.join(", ")}; nothing was changed`,
      );
    await recordAudit(tx, null, {
      action: "update",
      resourceType: "encryption_key",
      resourceId: null,
      after: { rotated: report },
    });
    return report;
  });
}

function tryDecrypt(key: Buffer, blob: string): string | undefined {
  try {
    return decryptSecret(key, blob);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return undefined;
    throw error;
  }
}
