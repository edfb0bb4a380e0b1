import type { ScannerFormat } from "@status/shared";

export interface MappingRule {
  pattern: string;
  format: ScannerFormat | null;
  controlId: string;
}

interface CompiledRule extends MappingRule {
  matches: (ruleId: string) => boolean;
  /** Higher is more specific: exact before glob, one format before any, more literal characters first. */
  rank: [number, number, number];
}

const GLOB_CHARACTERS = /[*?]/;

function compile(rule: MappingRule): CompiledRule {
  const isExact = !GLOB_CHARACTERS.test(rule.pattern);
  const literal = rule.pattern.replace(/[*?]/g, "").length;
  if (isExact)
    return { ...rule, matches: (ruleId) => ruleId === rule.pattern, rank: [1, rule.format ? 1 : 0, literal] };
  const source = rule.pattern
    .split("")
    .map((character) =>
      character === "*" ? ".*" : character === "?" ? "." : character.replace(/[.+^${}()|[\]\\/-]/g, "\\$&"),
    )
    .join("");
  const expression = new RegExp(`^${source}$`, "s");
  return { ...rule, matches: (ruleId) => expression.test(ruleId), rank: [0, rule.format ? 1 : 0, literal] };
}

function compareRanks(left: CompiledRule, right: CompiledRule): number {
  for (let index = 0; index < 3; index += 1) {
    const difference = right.rank[index]! - left.rank[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The control a rule id maps to under a catalog's rules for one format: of the rules whose pattern matches (a rule
 * id exactly, or a glob with `*` and `?`) and whose format is this one or any, the most specific wins — an exact id
 * over a glob, a rule for this format over one for any, then the glob with more literal characters; rules equal on
 * all three keep their listed order.
 */
export function createRuleMatcher(
  rules: readonly MappingRule[],
  format: ScannerFormat,
): (ruleId: string) => string | undefined {
  const applicable = rules
    .filter((rule) => rule.format === null || rule.format === format)
    .map(compile)
    .sort(compareRanks);
  const cache = new Map<string, string | undefined>();
  return (ruleId) => {
    if (!cache.has(ruleId)) cache.set(ruleId, applicable.find((rule) => rule.matches(ruleId))?.controlId);
    return cache.get(ruleId);
  };
}
