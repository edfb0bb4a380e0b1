import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../errors.ts";
import { MAX_SCANNER_RESULTS, parseScannerFile } from "./index.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/scanners/${name}`, import.meta.url), "utf8");

/** The typed problem a parser throws: its status, code and detail. */
function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const { status, code, message } = error as AppError;
    return { status, code, message };
  }
  throw new Error("expected the parser to refuse the file");
}

const outcomes = (source: string, format: Parameters<typeof parseScannerFile>[0]) =>
  parseScannerFile(format, source).results.map((result) => [result.ruleId, result.result]);

describe("OCSF (Prowler) parser", () => {
  it("reads each finding's check, status, resource and message", () => {
    const report = parseScannerFile("ocsf", fixture("prowler-ocsf.json"));
    expect(report.tool).toBe("Prowler");
    expect(report.results.map((result) => [result.ruleId, result.result])).toEqual([
      ["iam_root_mfa_enabled", "pass"],
      ["s3_bucket_default_encryption", "fail"],
      ["s3_bucket_default_encryption", "pass"],
      ["account_security_contact_information_is_registered", "skip"],
    ]);
    expect(report.results[1]).toMatchObject({
      title: "Check if S3 buckets have default encryption (SSE) enabled",
      resource: "arn:aws:s3:::example-logs",
      message: "S3 Bucket example-logs does not have default encryption enabled.",
      details: { statusCode: "FAIL", severity: "Medium", region: "eu-west-1" },
    });
  });

  it("falls back to finding_info.uid as the rule id and calls unknown statuses errors", () => {
    const source = JSON.stringify([{ finding_info: { uid: "custom-check", title: "Custom" }, status_code: "WEIRD" }]);
    expect(outcomes(source, "ocsf")).toEqual([["custom-check", "error"]]);
  });

  it("refuses broken JSON, non-findings and findings without a rule or status", () => {
    for (const source of ["[{", '"text"', JSON.stringify([1]), JSON.stringify([{ status_code: "PASS" }])]) {
      expect(refusal(() => parseScannerFile("ocsf", source))).toMatchObject({
        status: 400,
        code: "import_format_invalid",
      });
    }
    expect(
      refusal(() => parseScannerFile("ocsf", JSON.stringify([{ metadata: { event_code: "x" } }]))).message,
    ).toMatch(/has no status_code/);
  });
});

describe("JUnit XML parser", () => {
  it("makes each testcase a result: pass without failure or error, skipped says nothing", () => {
    const report = parseScannerFile("junit", fixture("junit.xml"));
    expect(report.results.map((result) => [result.ruleId, result.result])).toEqual([
      ["repo.settings.branch_protection_enabled", "pass"],
      ["repo.settings.signed_commits_required", "fail"],
      ["repo.settings.secret_scanning_enabled", "pass"],
      ["ci.pipeline.dependency_audit", "error"],
      ["ci.pipeline.container_signing", "skip"],
    ]);
    expect(report.results[0]).toMatchObject({
      resource: "checks/repo_settings.py",
      details: { suite: "repository settings" },
    });
    expect(report.results[1]).toMatchObject({
      title: "signed_commits_required",
      message: "signed commits are not required on main",
      details: { type: "AssertionError", classname: "repo.settings" },
    });
  });

  it("reads a lone testsuite, nested suites, text-only failures and the predefined entities", () => {
    const source = `<testsuite name="outer"><testcase name="a &amp; b"><failure>expected &lt;1&gt;</failure></testcase>
      <testsuite name="inner"><testcase name="c" classname="k"/></testsuite></testsuite>`;
    const report = parseScannerFile("junit", source);
    expect(report.results.map((result) => [result.ruleId, result.result, result.message])).toEqual([
      ["a & b", "fail", "expected <1>"],
      ["k.c", "pass", undefined],
    ]);
  });

  it("refuses malformed XML, other documents and nameless testcases", () => {
    for (const source of [
      "<testsuite><testcase name='a'></testsuite>",
      "<html/>",
      "<testsuite><testcase/></testsuite>",
      "not xml",
    ]) {
      expect(refusal(() => parseScannerFile("junit", source))).toMatchObject({
        status: 400,
        code: "import_format_invalid",
      });
    }
  });

  it("never expands entities: billion laughs and external entities are refused before parsing", () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<testsuite name="s"><testcase name="&lol2;"/></testsuite>`;
    const external = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite name="s"><testcase name="x"><failure message="&xxe;"/></testcase></testsuite>`;
    for (const source of [laughs, external]) {
      const problem = refusal(() => parseScannerFile("junit", source));
      expect(problem).toMatchObject({ status: 400, code: "import_format_invalid" });
      expect(problem.message).toMatch(/DOCTYPE/);
    }
    // An entity reference without a declaration stays text: nothing is looked up.
    const undeclared = parseScannerFile("junit", `<testsuite name="s"><testcase name="&xxe;"/></testsuite>`);
    expect(undeclared.results[0]!.ruleId).toBe("&xxe;");
  });
});

describe("PolicyReport parser", () => {
  it("reads Kyverno YAML reports (several documents): policy/rule, warn as a failure, the resource", () => {
    const report = parseScannerFile("policyreport", fixture("kyverno-policyreport.yaml"));
    expect(report.tool).toBe("kyverno");
    expect(report.results.map((result) => [result.ruleId, result.result, result.resource])).toEqual([
      ["require-labels/check-team-label", "pass", "Deployment payments/checkout"],
      ["disallow-privileged-containers/privileged-containers", "fail", "Deployment payments/checkout"],
      ["disallow-latest-tag/require-image-tag", "fail", "Pod default/debug-shell"],
      ["disallow-latest-tag/validate-image-tag", "skip", "Pod default/debug-shell"],
    ]);
    expect(report.results[1]).toMatchObject({ details: { severity: "high", result: "fail" } });
  });

  it("reads OpenReports JSON and kubectl's List of reports", () => {
    expect(outcomes(fixture("openreports-report.json"), "policyreport")).toEqual([
      ["require-resource-limits/memory-limits", "pass"],
      ["verify-image-signature", "error"],
    ]);
    const list = `apiVersion: v1\nkind: List\nitems:\n  - kind: PolicyReport\n    results:\n      - {policy: p, rule: r, result: pass}\n`;
    expect(outcomes(list, "policyreport")).toEqual([["p/r", "pass"]]);
  });

  it("refuses broken YAML, other documents and results without policy or result", () => {
    for (const source of [
      "kind: [",
      "kind: Deployment\nspec: {}",
      "results:\n  - rule: r\n    result: pass",
      "results:\n  - policy: p",
      "",
    ]) {
      expect(refusal(() => parseScannerFile("policyreport", source))).toMatchObject({
        status: 400,
        code: "import_format_invalid",
      });
    }
  });

  it("refuses a YAML alias bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    const bomb = `${levels.join("\n")}\nkind: PolicyReport\nresults: []\n`;
    expect(refusal(() => parseScannerFile("policyreport", bomb))).toMatchObject({ code: "import_format_invalid" });
  });
});

describe("SARIF parser", () => {
  it("reads results with their rule (by id or index), kind and level defaults, and location", () => {
    const report = parseScannerFile("sarif", fixture("sarif.json"));
    expect(report.tool).toBe("ExampleScanner");
    expect(report.results.map((result) => [result.ruleId, result.result, result.resource])).toEqual([
      ["EX001", "fail", "config/deploy.pem:1"],
      ["EX002", "pass", undefined],
      ["EX003", "skip", undefined],
      ["EX002", "error", "src/http/client.ts"],
    ]);
    expect(report.results[0]).toMatchObject({
      title: "Secrets must not be committed",
      message: "A private key is committed in config/deploy.pem",
      details: { kind: "fail", level: "error" },
    });
    expect(report.results[2]!.title).toBe("DependencyPinned");
  });

  it("refuses other versions, logs without runs and results naming no rule", () => {
    const log = (runs: unknown, version = "2.1.0") => JSON.stringify({ version, runs });
    for (const source of [
      "{",
      log([], "2.0.0"),
      JSON.stringify({ version: "2.1.0" }),
      log([{ results: [{ kind: "pass" }] }]),
    ]) {
      expect(refusal(() => parseScannerFile("sarif", source))).toMatchObject({
        status: 400,
        code: "import_format_invalid",
      });
    }
  });
});

describe("result limits", () => {
  it("refuses files with more results than one import takes (413)", () => {
    const findings = Array.from({ length: MAX_SCANNER_RESULTS + 1 }, () => ({
      metadata: { event_code: "c" },
      status_code: "PASS",
    }));
    expect(refusal(() => parseScannerFile("ocsf", JSON.stringify(findings)))).toMatchObject({
      status: 413,
      code: "import_too_large",
    });
    const cases = "<testcase name='t'/>".repeat(MAX_SCANNER_RESULTS + 1);
    expect(refusal(() => parseScannerFile("junit", `<testsuite name="s">${cases}</testsuite>`))).toMatchObject({
      status: 413,
      code: "import_too_large",
    });
  });
});
