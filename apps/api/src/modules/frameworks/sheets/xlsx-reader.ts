import type ExcelJS from "exceljs";
import type { Sheet, SheetRow } from "./csv-reader.ts";

/** Why a workbook could not be read: not an XLSX file, or no such sheet. */
export class WorkbookError extends Error {}

/**
 * Reads a sheet of an XLSX workbook (the first, or the one named) into rows keyed by the header row. Row numbers are
 * the sheet's own, so problems point at the row a person sees in Excel.
 */
export async function readXlsx(content: Buffer, sheetName: string | undefined): Promise<Sheet> {
  // Loaded on first use: exceljs costs every process ~25 MiB of memory, and only sheet imports need it.
  const { default: excel } = await import("exceljs");
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new WorkbookError("The file is not an XLSX workbook");
  }
  const worksheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
  if (!worksheet)
    throw new WorkbookError(sheetName ? `The workbook has no sheet ${sheetName}` : "The workbook is empty");
  const headers: string[] = [];
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.from({ length: row.cellCount }, (_value, index) => cellText(row.getCell(index + 1)));
    if (headers.length === 0) {
      headers.push(...values.map((value) => value.trim()));
      return;
    }
    if (values.every((value) => value.trim() === "")) return;
    rows.push({ row: rowNumber, cells: new Map(headers.map((name, index) => [name, (values[index] ?? "").trim()])) });
  });
  return { headers, rows };
}

function cellText(cell: ExcelJS.Cell): string {
  // exceljs's own rendering of the cell: rich text joined, a formula's result, a hyperlink's text, a date in ISO.
  const value = cell.value;
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return cell.text;
  return String(value);
}
