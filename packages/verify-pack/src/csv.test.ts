import { describe, expect, it } from "vitest";
import { CsvRowParser, csvLine, parseCsv } from "./csv.ts";

function parseInPieces(text: string, pieceLength: number): string[][] {
  const rows: string[][] = [];
  const parser = new CsvRowParser((row) => rows.push(row));
  for (let index = 0; index < text.length; index += pieceLength) parser.write(text.slice(index, index + pieceLength));
  parser.end();
  return rows;
}

describe("CsvRowParser", () => {
  const rows = [
    ["id", "value", "note"],
    ["1", '{"a":"b,c"}', 'say "hi"'],
    ["2", "", "two\r\nlines"],
    ["3", '""', "ünïcødé, ok"],
    ["4", "plain", '"'],
  ];
  const text = rows.map(csvLine).join("");

  it("reads the same rows as the whole-text parser however the text is cut", () => {
    expect(parseCsv(text)).toEqual(rows);
    // Every piece length up to the text's own cuts quotes, quote pairs and CRLFs at every place.
    for (let pieceLength = 1; pieceLength <= text.length; pieceLength += 1)
      expect(parseInPieces(text, pieceLength), `pieces of ${pieceLength}`).toEqual(rows);
  });

  it("keeps a last row without a line break, and a lone CR or LF as a line break", () => {
    expect(parseInPieces("a,b\nc,d\re,f", 2)).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
    ]);
  });
});
