/** One data row of a sheet: its row number (the header is row 1) and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Map<string, string>;
}

export interface Sheet {
  headers: string[];
  rows: SheetRow[];
}

/**
 * Parses CSV (RFC 4180: quoted fields with doubled quotes and line breaks), separated by `,` or `;` — whichever the
 * header line uses more, since spreadsheets in many locales save with `;`. Blank lines are skipped.
 */
export function readCsv(text: string): Sheet {
  const content = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const firstLine = content.slice(0, content.search(/\r?\n|$/));
  const delimiter = count(firstLine, ";") > count(firstLine, ",") ? ";" : ",";
  const records = parseRecords(content, delimiter);
  const [header = [], ...body] = records;
  const headers = header.map((name) => name.trim());
  const rows: SheetRow[] = [];
  body.forEach((record, index) => {
    if (record.every((cell) => cell.trim() === "")) return;
    const cells = new Map(headers.map((name, column) => [name, (record[column] ?? "").trim()]));
    rows.push({ row: index + 2, cells });
  });
  return { headers, rows };
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

function parseRecords(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let isQuoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (isQuoted) {
      if (character !== '"') field += character;
      else if (text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else isQuoted = false;
      continue;
    }
    if (character === '"' && field === "") isQuoted = true;
    else if (character === delimiter) {
      record.push(field);
      field = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[index + 1] === "\n") index += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += character;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
