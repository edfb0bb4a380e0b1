import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";
import { evaluate, normalizeEvidences, parseFlowResult } from "./evaluation.ts";

describe("reading a mashup's answer", () => {
  it("accepts the seed format and normalises results and periods", () => {
    const parsed = parseFlowResult({
      value: true,
      evidences: [
        { key: "pr-1", value: 2, result: true, from: "2025-01-01T08:00:00", to: "2025-01-01T17:30:00Z" },
        { key: 7, value: "x", result: "not_applicable" },
        { value: null, result: "bogus" },
      ],
    });
    expect(parsed.isValid).toBe(true);
    if (!parsed.isValid) return;
    expect(parsed.evidences.map((evidence) => [evidence.key, evidence.result])).toEqual([
      ["pr-1", "pass"],
      ["7", "not_applicable"],
      ["#3", "error"],
    ]);
    expect(parsed.evidences[0]!.to).toBe("2025-01-01T17:30:00.000Z");
    expect(parsed.evidences[1]!.from).toBeNull();
  });

  it("reads each instant the same however often and among however many others it comes", () => {
    // More distinct instants than the memo of instants read holds, each twice, with a bad one and epoch numbers.
    const instants = Array.from({ length: 2_500 }, (_, index) => new Date(Date.UTC(2025, 0, 1) + index * 60_000));
    const items = instants.flatMap((instant, index) => [
      { result: true, from: instant.toISOString().replace(".000Z", "Z"), to: instant.getTime() },
      { result: true, from: instant.toISOString(), to: index % 500 === 0 ? "not a date" : instant.toISOString() },
    ]);
    const evidences = normalizeEvidences(items);
    evidences.forEach((evidence, position) => {
      const instant = instants[Math.floor(position / 2)]!.toISOString();
      expect(evidence.from).toBe(instant);
      expect(evidence.to).toBe(position % 1_000 === 1 ? null : instant);
    });
  });

  it("explains what is wrong with an answer of another shape", () => {
    const parsed = parseFlowResult({ hello: "world" });
    expect(parsed).toMatchObject({ isValid: false });
    if (parsed.isValid) return;
    expect(parsed.problem).toContain("evidences");
    expect(parsed.problem).toContain('{"hello":"world"}');
  });

  it("refuses a text answer and evidences that are not objects", () => {
    expect(parseFlowResult("oops").isValid).toBe(false);
    expect(parseFlowResult({ evidences: [1, 2] }).isValid).toBe(false);
  });
});

describe("evaluating a window", () => {
  const evidences = (results: (boolean | string)[]) =>
    normalizeEvidences(results.map((result, index) => ({ key: `e${index}`, result })));

  it("is the share of passing evidences against the threshold", () => {
    expect(evaluate(evidences([true, true, true, false]), 75)).toMatchObject({ compliance: 75, result: "pass" });
    expect(evaluate(evidences([true, true, true, false]), 80)).toMatchObject({ compliance: 75, result: "fail" });
  });

  it("counts errors against compliance and leaves not-applicable evidences out", () => {
    expect(evaluate(evidences([true, "error", "not_applicable"]), 50)).toMatchObject({
      compliance: 50,
      counts: { pass: 1, error: 1, not_applicable: 1, fail: 0 },
    });
  });

  it("never passes an empty or all-not-applicable list", () => {
    expect(evaluate([], 0)).toMatchObject({ compliance: null, result: "not_applicable" });
    expect(evaluate(evidences(["not_applicable"]), 0)).toMatchObject({ result: "not_applicable" });
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});
