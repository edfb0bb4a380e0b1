import type { ColumnMapping } from "@status/shared";

/** The API's body limit for imports; a bigger file is refused here rather than uploaded to get a 413. */
export const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

/** A file the user picked, read and classified: what the import body will carry. */
export type ImportFile =
  | { kind: "oscal-catalog"; fileName: string; document: Record<string, unknown> }
  | { kind: "oscal-profile"; fileName: string; document: Record<string, unknown> }
  | { kind: "csv"; fileName: string; content: string; headers: string[] }
  | { kind: "xlsx"; fileName: string; contentBase64: string };

export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readOscal(fileName: string, text: string): ImportFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ImportFileError(`${fileName} is not valid JSON.`);
  }
  if (isRecord(document) && isRecord(document.catalog)) return { kind: "oscal-catalog", fileName, document };
  if (isRecord(document) && isRecord(document.profile)) return { kind: "oscal-profile", fileName, document };
  throw new ImportFileError(
    `${fileName} is neither an OSCAL catalog nor an OSCAL profile (no "catalog" or "profile").`,
  );
}

/** Base64 in chunks: `String.fromCharCode(...bytes)` on a whole workbook would overflow the call stack. */
function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** FileReader rather than `Blob.text()`: every browser and jsdom (the web tests) have it. */
function readFile<T extends "text" | "buffer">(file: File, as: T): Promise<T extends "text" ? string : ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as T extends "text" ? string : ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`));
    if (as === "text") reader.readAsText(file);
    else reader.readAsArrayBuffer(file);
  });
}

/** A picked file's text (UTF-8). */
export function readFileText(file: File): Promise<string> {
  return readFile(file, "text");
}

/** Reads a picked file by its extension: `.json` (OSCAL), `.csv` or `.xlsx`. */
export async function readImportFile(file: File): Promise<ImportFile> {
  // Base64 grows a workbook by a third on the way to the server.
  const sentSize = file.name.toLowerCase().endsWith(".xlsx") ? Math.ceil(file.size / 3) * 4 : file.size;
  if (sentSize > IMPORT_BODY_LIMIT_BYTES) throw new ImportFileError(`${file.name} is larger than the 50 MB limit.`);
  const extension = file.name.toLowerCase().split(".").pop();
  if (extension === "json") return readOscal(file.name, await readFile(file, "text"));
  if (extension === "csv") {
    const content = await readFile(file, "text");
    return { kind: "csv", fileName: file.name, content, headers: readCsvHeader(content) };
  }
  if (extension === "xlsx")
    return { kind: "xlsx", fileName: file.name, contentBase64: toBase64(await readFile(file, "buffer")) };
  throw new ImportFileError(`${file.name}: choose an OSCAL JSON file, a .csv or an .xlsx file.`);
}

/**
 * The column names of a CSV's header row, so the mapping step can offer them. The API reads the whole sheet; this
 * reads only the first record, with quoted fields and the `,` or `;` separator the API accepts.
 */
export function readCsvHeader(content: string): string[] {
  const text = content.replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const fields: string[] = [];
  let field = "";
  let isQuoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (isQuoted && char === '"' && text[index + 1] === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') {
      isQuoted = !isQuoted;
    } else if (!isQuoted && char === separator) {
      fields.push(field.trim());
      field = "";
    } else if (!isQuoted && (char === "\n" || char === "\r")) {
      break;
    } else {
      field += char;
    }
  }
  fields.push(field.trim());
  return fields.filter((name) => name !== "");
}

export type MappingField = keyof ColumnMapping;

/** The fields a sheet maps, in the order the form shows them; the first four are required and have API defaults. */
export const MAPPING_FIELDS: readonly { field: MappingField; label: string; isRequired: boolean }[] = [
  { field: "id", label: "Id column", isRequired: true },
  { field: "title", label: "Title column", isRequired: true },
  { field: "description", label: "Description column", isRequired: true },
  { field: "group", label: "Group column", isRequired: true },
  { field: "label", label: "Label column", isRequired: false },
  { field: "guidance", label: "Guidance column", isRequired: false },
  { field: "parent", label: "Parent id column", isRequired: false },
];

/** The API's defaults (`id`, `title`, `description`, `group`), matched case-insensitively against the header. */
export function guessColumns(headers: readonly string[]): Partial<Record<MappingField, string>> {
  const byLowerCase = new Map(headers.map((header) => [header.toLowerCase(), header]));
  const guess: Partial<Record<MappingField, string>> = {};
  for (const { field } of MAPPING_FIELDS) {
    const header = byLowerCase.get(field);
    if (header) guess[field] = header;
  }
  return guess;
}
