import type { ArchivedFilter } from "@status/shared";
import { jsonIso, jsonObject, jsonPlainText, jsonText } from "./json-text.ts";
import { isoTextSql } from "./timestamptz.ts";

/** What archiving writes on a catalog or control row: why, and who (by id and name, so it outlives the user). */
export interface ArchiveFields {
  reason: string;
  userId: string | null;
  userName: string | null;
}

/**
 * The select expression of a catalog's or control's `archive` (ArchiveSchema, or null): built in SQL so rows come back
 * in the response shape, with the instant in the ISO form the contract requires.
 */
export function archiveColumn(table: "catalogs" | "controls"): string {
  return `case when ${table}.archived_at is null then null else json_build_object(
    'archivedAt', ${isoTextSql(`${table}.archived_at`, "US")},
    'archivedBy', ${table}.archived_by, 'archivedByName', ${table}.archived_by_name, 'reason', ${table}.archive_reason) end`;
}

/** `archiveColumn` as the JSON text `JSON.stringify` writes for it (see db/json-text.ts): `null` when not archived. */
export function archiveJson(table: "catalogs" | "controls"): string {
  return `case when ${table}.archived_at is null then 'null' else ${jsonObject([
    ["archivedAt", jsonIso(`${table}.archived_at`, "US")],
    ["archivedBy", jsonPlainText(`${table}.archived_by`)],
    ["archivedByName", jsonText(`${table}.archived_by_name`)],
    ["reason", jsonText(`${table}.archive_reason`)],
  ])} end`;
}

/** The `archived` list filter as the boolean "is archived" compares to, or undefined for `all` (no filter). */
export function isArchivedFilter(filter: ArchivedFilter): boolean | undefined {
  if (filter === "all") return undefined;
  return filter === "true";
}
