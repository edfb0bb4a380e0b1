import type { EvidenceImportResult, ScannerFormat } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/** The first answer of an import of this file to this target, if there was one. */
export async function findImportAnswer(
  db: Queryable,
  targetKey: string,
  digest: string,
): Promise<EvidenceImportResult | undefined> {
  const result = await db.query<{ answer: EvidenceImportResult }>(
    "select answer from evidence_imports where target_key = $1 and digest = $2",
    [targetKey, digest],
  );
  return result.rows[0]?.answer;
}

/** Keeps an import's answer; a concurrent import of the same file already kept one, which stands. */
export async function saveImportAnswer(
  db: Queryable,
  row: { targetKey: string; digest: string; format: ScannerFormat; tool: string | null; importedBy: string },
  answer: EvidenceImportResult,
): Promise<void> {
  await db.query(
    `insert into evidence_imports (target_key, digest, format, tool, imported_by, answer) values ($1, $2, $3, $4, $5, $6)
      on conflict (target_key, digest) do nothing`,
    [row.targetKey, row.digest, row.format, row.tool, row.importedBy, JSON.stringify(answer)],
  );
}
