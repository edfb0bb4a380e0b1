import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

describe("CSV (RFC 4180)", () => {
  it("quotes cells with commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell({ team: "a,b" })).toBe('"{""team"":""a,b""}"');
  });

  it("writes a header line and CRLF-terminated records", () => {
    const csv = toCsv(
      [
        { header: "name", value: (row: { name: string; n: number }) => row.name },
        { header: "n", value: (row) => row.n },
      ],
      [
        { name: "x", n: 1 },
        { name: "y,z", n: 2 },
      ],
    );
    expect(csv).toBe('name,n\r\nx,1\r\n"y,z",2\r\n');
  });
});
