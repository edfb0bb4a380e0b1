/** A CSV cell as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (with its line break) from its cells. */
export function csvLine(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let isQuoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (isQuoted) {
      if (char !== '"') cell += char;
      else if (text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else isQuoted = false;
    } else if (char === '"') isQuoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/**
 * Parses RFC 4180 CSV fed in pieces (a quoted cell, a quote pair or a CRLF may be split between two pieces), calling
 * back once per row, so a file of any size is read with the memory of one row.
 */
export class CsvRowParser {
  private row: string[] = [];
  private cell = "";
  private isQuoted = false;
  /** A quote inside a quoted cell ended the last piece: an escaped quote or the cell's end, told by what follows. */
  private isQuotePending = false;
  /** A CR ended the last piece: an LF starting the next one belongs to it. */
  private isCrPending = false;

  constructor(private readonly onRow: (row: string[]) => void) {}

  write(text: string): void {
    let index = 0;
    if (this.isCrPending) {
      this.isCrPending = false;
      if (text[0] === "\n") index = 1;
    }
    if (this.isQuotePending && index < text.length) {
      this.isQuotePending = false;
      if (text[index] === '"') {
        this.cell += '"';
        index += 1;
      } else this.isQuoted = false;
    }
    for (; index < text.length; index += 1) {
      if (this.isQuoted) {
        const quote = text.indexOf('"', index);
        if (quote < 0) {
          this.cell += text.slice(index);
          return;
        }
        this.cell += text.slice(index, quote);
        index = quote;
        if (quote + 1 >= text.length) {
          this.isQuotePending = true;
          return;
        }
        if (text[quote + 1] === '"') {
          this.cell += '"';
          index += 1;
        } else this.isQuoted = false;
        continue;
      }
      const char = text[index]!;
      if (char === '"') this.isQuoted = true;
      else if (char === ",") this.endCell();
      else if (char === "\n" || char === "\r") {
        if (char === "\r") {
          if (index + 1 >= text.length) this.isCrPending = true;
          else if (text[index + 1] === "\n") index += 1;
        }
        this.endCell();
        this.onRow(this.row);
        this.row = [];
      } else {
        // Unquoted text up to the next delimiter in one slice, not a character at a time.
        let end = index + 1;
        while (end < text.length && !',"\r\n'.includes(text[end]!)) end += 1;
        this.cell += text.slice(index, end);
        index = end - 1;
      }
    }
  }

  /** Ends the input: a last row without a line break is still a row. */
  end(): void {
    if (this.isQuotePending) this.isQuoted = false;
    if (this.cell !== "" || this.row.length > 0) {
      this.endCell();
      this.onRow(this.row);
      this.row = [];
    }
  }

  private endCell(): void {
    this.row.push(this.cell);
    this.cell = "";
  }
}
