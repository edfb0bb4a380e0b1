import type { ScannerResult } from "@status/shared";
import { AppError } from "../../../errors.ts";

/** A scanner file read into results: the tool that wrote it, when the file says. */
export interface ScannerReport {
  tool: string | null;
  results: ScannerResult[];
}

/** More results than this in one file is refused (413): it would be one enormous submission per control. */
export const MAX_SCANNER_RESULTS = 50_000;

/** Longest text kept of a message, title or resource; scanners can write whole stack traces there. */
const MAX_TEXT = 2_000;

/** 400 `import_format_invalid`: the file is not what its format says, with the reason a person can act on. */
export function formatInvalid(format: string, detail: string): AppError {
  return new AppError(
    400,
    "import_format_invalid",
    "Scanner file not readable",
    `Not a valid ${format} file: ${detail}`,
  );
}

export function tooManyResults(count: number): AppError {
  return new AppError(
    413,
    "import_too_large",
    "Scanner file too large",
    `The file holds ${count} results; at most ${MAX_SCANNER_RESULTS} are imported at once`,
  );
}

/** Refuses files past the result limit as soon as they are counted, before anything is built from them. */
export function assertResultCount(count: number): void {
  if (count > MAX_SCANNER_RESULTS) throw tooManyResults(count);
}

/** A string field of an untyped record, trimmed and bounded; undefined when absent or not text. */
export function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested field of an untyped record, e.g. `field(finding, "metadata", "event_code")`. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Builds a result without the optional fields that are absent (the shared schema has no nulls there). */
export function result(
  fields: Omit<ScannerResult, "resource" | "message"> & { resource?: string | undefined; message?: string | undefined },
): ScannerResult {
  const { resource, message, ...rest } = fields;
  return { ...rest, ...(resource ? { resource } : {}), ...(message ? { message } : {}) };
}

/** Parses JSON text, or says where it is broken. */
export function parseJson(format: string, source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw formatInvalid(format, `the JSON does not parse (${(error as Error).message})`);
  }
}
