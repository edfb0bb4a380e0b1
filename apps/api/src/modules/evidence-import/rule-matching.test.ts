import { describe, expect, it } from "vitest";
import { createRuleMatcher, type MappingRule } from "./rule-matching.ts";

describe("createRuleMatcher", () => {
  const rules: MappingRule[] = [
    { pattern: "s3_*", format: null, controlId: "storage" },
    { pattern: "s3_bucket_*_encryption", format: null, controlId: "encryption" },
    { pattern: "s3_bucket_default_encryption", format: null, controlId: "exact" },
    { pattern: "iam_*", format: "sarif", controlId: "sarif-only" },
    { pattern: "iam_*", format: "ocsf", controlId: "ocsf-iam" },
    { pattern: "repo.settings.?igned*", format: null, controlId: "signing" },
  ];

  it("prefers an exact id, then the glob with more literal characters", () => {
    const match = createRuleMatcher(rules, "ocsf");
    expect(match("s3_bucket_default_encryption")).toBe("exact");
    expect(match("s3_bucket_kms_encryption")).toBe("encryption");
    expect(match("s3_bucket_public_access")).toBe("storage");
  });

  it("keeps rules of another format out and prefers one for this format over any", () => {
    expect(createRuleMatcher(rules, "ocsf")("iam_root_mfa_enabled")).toBe("ocsf-iam");
    expect(createRuleMatcher(rules, "junit")("iam_root_mfa_enabled")).toBeUndefined();
    const anyAndOne: MappingRule[] = [
      { pattern: "x*", format: null, controlId: "any" },
      { pattern: "x*", format: "junit", controlId: "junit" },
    ];
    expect(createRuleMatcher(anyAndOne, "junit")("xy")).toBe("junit");
    expect(createRuleMatcher(anyAndOne, "sarif")("xy")).toBe("any");
  });

  it("treats everything but * and ? literally", () => {
    const match = createRuleMatcher(rules, "junit");
    expect(match("repo.settings.signed_commits_required")).toBe("signing");
    expect(match("repoXsettings.signed_commits_required")).toBeUndefined();
    expect(createRuleMatcher([{ pattern: "a.(b)+", format: null, controlId: "c" }], "junit")("a.(b)+")).toBe("c");
    expect(createRuleMatcher([{ pattern: "a/*", format: null, controlId: "c" }], "junit")("a/b/c")).toBe("c");
  });
});
