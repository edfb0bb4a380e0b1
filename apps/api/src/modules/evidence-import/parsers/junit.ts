import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { ScannerResult, ScannerResultOutcome } from "@status/shared";
import { assertResultCount, formatInvalid, isRecord, result, text, type ScannerReport } from "./scanner-report.ts";

const REPEATED = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);

/**
 * Entities stay unexpanded (`processEntities: false`) and a document type is refused outright: a test report never
 * needs one, and a DTD is how entity bombs (billion laughs) and external entities (file or URL reads) arrive.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  processEntities: false,
  htmlEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** The five predefined XML entities and character references: text, never an expansion of anything declared. */
function decodeXml(value: string | undefined): string | undefined {
  return value?.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[name.toLowerCase()] ?? whole;
  });
}

/** A failure's or skip's reason: its message attribute, else its text (often a stack trace). */
function reasonOf(element: Record<string, unknown> | undefined): string | undefined {
  return element && decodeXml(text(element["@message"]) ?? text(element["#text"]));
}

/** Repeated elements; one holding only text (or nothing: `<skipped/>`) arrives as a string and becomes `{#text}`. */
function elements(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).map((element) => (isRecord(element) ? element : { "#text": element }));
}

/** pass = no failure and no error; `<skipped>` says nothing either way. */
function outcomeOf(testcase: Record<string, unknown>): {
  outcome: ScannerResultOutcome;
  problem?: Record<string, unknown>;
} {
  const failure = elements(testcase.failure)[0];
  if (failure) return { outcome: "fail", problem: failure };
  const error = elements(testcase.error)[0];
  if (error) return { outcome: "error", problem: error };
  const skipped = elements(testcase.skipped)[0];
  if (skipped) return { outcome: "skip", problem: skipped };
  return { outcome: "pass" };
}

function collectCases(
  suite: Record<string, unknown>,
  into: { suite: string | undefined; testcase: Record<string, unknown> }[],
): void {
  const name = decodeXml(text(suite["@name"]));
  for (const testcase of elements(suite.testcase)) {
    into.push({ suite: name, testcase });
    assertResultCount(into.length);
  }
  for (const nested of elements(suite.testsuite)) collectCases(nested, into);
}

/**
 * JUnit XML from any test runner: `<testsuites>` or a lone `<testsuite>`, suites possibly nested. Each testcase is
 * one result, its rule id `classname.name` (the name alone without a classname).
 */
export function parseJunit(source: string): ScannerReport {
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source))
    throw formatInvalid("JUnit", "document type declarations (<!DOCTYPE>, <!ENTITY>) are not accepted");
  const validation = XMLValidator.validate(source);
  if (validation !== true)
    throw formatInvalid("JUnit", `${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`);
  const document = parser.parse(source) as Record<string, unknown>;
  const root = isRecord(document.testsuites) ? document.testsuites : document.testsuites === "" ? {} : undefined;
  const suites = root ? elements(root.testsuite) : elements(document.testsuite);
  if (!root && suites.length === 0)
    throw formatInvalid("JUnit", "the root element is neither <testsuites> nor <testsuite>");
  const cases: { suite: string | undefined; testcase: Record<string, unknown> }[] = [];
  for (const suite of suites) collectCases(suite, cases);
  const results: ScannerResult[] = cases.map(({ suite, testcase }, index) => {
    const name = decodeXml(text(testcase["@name"]));
    if (!name) throw formatInvalid("JUnit", `testcase ${index + 1}${suite ? ` of ${suite}` : ""} has no name`);
    const classname = decodeXml(text(testcase["@classname"]));
    const { outcome, problem } = outcomeOf(testcase);
    return result({
      ruleId: classname ? `${classname}.${name}` : name,
      title: name,
      result: outcome,
      resource: decodeXml(text(testcase["@file"])),
      message: reasonOf(problem),
      details: {
        suite: suite ?? null,
        classname: classname ?? null,
        time: text(testcase["@time"]) ?? null,
        type: (problem && decodeXml(text(problem["@type"]))) ?? null,
      },
    });
  });
  return { tool: null, results };
}
