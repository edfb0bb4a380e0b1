/** One CSV column: its header and how a row's cell is read. */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => unknown;
}

/** A cell per RFC 4180: quoted when it holds a comma, quote, CR or LF, with quotes doubled; objects as JSON. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

/** A CSV document (RFC 4180: CRLF line ends, a header line) of the rows. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [
    columns.map((column) => csvCell(column.header)).join(","),
    ...rows.map((row) => columns.map((column) => csvCell(column.value(row))).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
