import type { Queryable } from "../db/database.ts";

/**
 * A place where credentials are stored encrypted with STATUS_ENCRYPTION_KEY (lib/secret-box). Each owning module
 * implements one in its repository; the encryption module lists them all, so key rotation re-encrypts every one.
 */
export interface EncryptedColumn {
  /** `table.column`, for the rotation report. */
  name: string;
  /** Every stored ciphertext with the id of its row, locked until the transaction ends. */
  listForUpdate(tx: Queryable): Promise<{ id: string; blob: string }[]>;
  /** Replaces one row's ciphertext. */
  write(tx: Queryable, id: string, blob: string): Promise<void>;
}
