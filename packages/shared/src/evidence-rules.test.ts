import { describe, expect, it } from "vitest";
import {
  EvidenceDeclarationsSchema,
  EvidenceRuleSchema,
  findEvidenceDeclaration,
  formatEvidenceRule,
  formatEvidenceValue,
} from "./evidence-rules.ts";

describe("evidence rules", () => {
  it("reads a rule on a parameter with the control's value, its unit and the parameter's name", () => {
    const rule = EvidenceRuleSchema.parse({ op: "<=", param: "maxReviewAgeDays" });

    expect(formatEvidenceRule(rule, { params: { maxReviewAgeDays: 7 }, unit: "days" })).toBe(
      "≤ 7 days (maxReviewAgeDays)",
    );
    expect(formatEvidenceRule(rule, { params: {} })).toBe("≤ maxReviewAgeDays");
  });

  it("reads literal rules, lists and truthy", () => {
    expect(formatEvidenceRule({ op: "==", value: "success" })).toBe("= success");
    expect(formatEvidenceRule({ op: "!=", value: "failed" })).toBe("≠ failed");
    expect(formatEvidenceRule({ op: ">", value: 2 }, { unit: "approvals" })).toBe("> 2 approvals");
    expect(formatEvidenceRule({ op: "in", value: ["success", "partial"] })).toBe("one of success, partial");
    expect(formatEvidenceRule({ op: "truthy" })).toBe("true");
  });

  it("shows values with their unit when they are numbers", () => {
    expect(formatEvidenceValue(57, "days")).toBe("57 days");
    expect(formatEvidenceValue("57", "days")).toBe("57 days");
    expect(formatEvidenceValue("success", "days")).toBe("success");
    expect(formatEvidenceValue(null)).toBe("—");
    expect(formatEvidenceValue({ a: 1 })).toBe('{"a":1}');
  });

  it("refuses a rule with both or neither of param and value, a list outside `in`, or an operand on truthy", () => {
    const bad = [
      { op: "<=" },
      { op: "<=", param: "a", value: 1 },
      { op: "in", value: "success" },
      { op: "==", value: ["a"] },
      { op: "truthy", value: true },
      { op: ">=", value: true },
      { op: "~=", value: 1 },
      { op: "==", value: 1, extra: 1 },
    ];
    for (const rule of bad) expect(EvidenceRuleSchema.safeParse(rule).success, JSON.stringify(rule)).toBe(false);
  });

  it("matches the first declaration whose key pattern fits, with * matching anything", () => {
    const declarations = EvidenceDeclarationsSchema.parse([
      { key: "prod-*", label: "Production backup" },
      { label: "Any backup" },
    ]);

    expect(findEvidenceDeclaration(declarations, "prod-2025-01-01")?.label).toBe("Production backup");
    expect(findEvidenceDeclaration(declarations, "staging.2025")?.label).toBe("Any backup");
    expect(findEvidenceDeclaration(declarations.slice(0, 1), "xprod-1")).toBeUndefined();
    expect(findEvidenceDeclaration(EvidenceDeclarationsSchema.parse([{ key: "a.b", label: "x" }]), "aXb")).toBe(
      undefined,
    );
  });
});
