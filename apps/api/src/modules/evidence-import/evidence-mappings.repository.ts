import type { EvidenceMapping, ScannerFormat } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/pg-errors.ts";
import { ConflictError } from "../../errors.ts";

const COLUMNS = `m.id, m.catalog_id as "catalogId", m.pattern, m.format, m.control_id as "controlId",
  c.name as "controlName", m.created_at as "createdAt", m.updated_at as "updatedAt"`;

export interface MappingFields {
  pattern: string;
  format: ScannerFormat | null;
  controlId: string;
}

function duplicateOr(error: unknown, fields: MappingFields): unknown {
  if (!isUniqueViolation(error, "evidence_mappings_pattern_key")) return error;
  return new ConflictError(
    "duplicate",
    `The catalog already maps ${fields.pattern}${fields.format ? ` (${fields.format})` : " (any format)"}`,
  );
}

export async function listMappingRows(db: Queryable, catalogId: string): Promise<EvidenceMapping[]> {
  const result = await db.query<EvidenceMapping>(
    `select ${COLUMNS} from evidence_mappings m join controls c on c.id = m.control_id
      where m.catalog_id = $1 order by m.pattern, m.format nulls first, m.created_at`,
    [catalogId],
  );
  return result.rows;
}

export async function findMappingRow(
  db: Queryable,
  catalogId: string,
  mappingId: string,
): Promise<EvidenceMapping | undefined> {
  const result = await db.query<EvidenceMapping>(
    `select ${COLUMNS} from evidence_mappings m join controls c on c.id = m.control_id
      where m.catalog_id = $1 and m.id = $2`,
    [catalogId, mappingId],
  );
  return result.rows[0];
}

export async function insertMappingRow(db: Queryable, catalogId: string, fields: MappingFields): Promise<string> {
  try {
    const result = await db.query<{ id: string }>(
      "insert into evidence_mappings (catalog_id, pattern, format, control_id) values ($1, $2, $3, $4) returning id",
      [catalogId, fields.pattern, fields.format, fields.controlId],
    );
    return result.rows[0]!.id;
  } catch (error) {
    throw duplicateOr(error, fields);
  }
}

export async function updateMappingRow(db: Queryable, mappingId: string, fields: MappingFields): Promise<void> {
  try {
    await db.query(
      "update evidence_mappings set pattern = $2, format = $3, control_id = $4, updated_at = now() where id = $1",
      [mappingId, fields.pattern, fields.format, fields.controlId],
    );
  } catch (error) {
    throw duplicateOr(error, fields);
  }
}

export async function deleteMappingRow(db: Queryable, mappingId: string): Promise<void> {
  await db.query("delete from evidence_mappings where id = $1", [mappingId]);
}
