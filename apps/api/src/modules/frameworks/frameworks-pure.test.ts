import { describe, expect, it } from "vitest";
import { requirementStatus } from "./compliance-rollup.ts";
import { jsonPath } from "./oscal/oscal-schema.ts";
import { readCsv } from "./sheets/csv-reader.ts";

const control = (status: "pass" | "fail" | "not-evaluated") => ({
  controlId: "c",
  name: "c",
  catalogId: "k",
  relationship: "equivalent-to" as const,
  status,
  passCount: 0,
  failCount: 0,
});

describe("requirementStatus", () => {
  it("is satisfied only when every mapped control passed", () => {
    expect(requirementStatus([control("pass"), control("pass")])).toBe("satisfied");
    expect(requirementStatus([control("pass"), control("not-evaluated")])).toBe("not-assessed");
  });

  it("is not satisfied as soon as one control failed, whatever the others", () => {
    expect(requirementStatus([control("pass"), control("fail"), control("not-evaluated")])).toBe("not-satisfied");
  });

  it("is not assessed without mapped controls", () => {
    expect(requirementStatus([])).toBe("not-assessed");
  });
});

describe("readCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, numbering rows as a spreadsheet does", () => {
    const sheet = readCsv('\uFEFFid,title\r\nA,"One, ""two""\nthree"\r\n\r\nB,Four\n');

    expect(sheet.headers).toEqual(["id", "title"]);
    expect(sheet.rows.map((row) => [row.row, row.cells.get("id"), row.cells.get("title")])).toEqual([
      [2, "A", 'One, "two"\nthree'],
      [4, "B", "Four"],
    ]);
  });

  it("takes ; as the separator when the header uses it", () => {
    expect(readCsv("id;title\nA;x,y").rows[0]!.cells.get("title")).toBe("x,y");
  });
});

describe("jsonPath", () => {
  it("turns a JSON pointer into a JSON path", () => {
    expect(jsonPath("/catalog/groups/0/controls/3/id")).toBe("$.catalog.groups[0].controls[3].id");
    expect(jsonPath("/mapping-collection/a~1b")).toBe('$.mapping-collection["a/b"]');
    expect(jsonPath("")).toBe("$");
  });
});
