import { SCOPE_WILDCARD, type ProblemIssue, type Scope, type ScopeValue, type ScopeValues } from "@status/shared";

/** Whether a value has the scope's type; `*` (every value) is accepted for every type. */
function matchesType(scope: Pick<Scope, "type">, value: ScopeValue): boolean {
  if (value === SCOPE_WILDCARD) return true;
  return typeof value === scope.type;
}

function isAllowed(scope: Pick<Scope, "allowedValues">, value: ScopeValue): boolean {
  if (value === SCOPE_WILDCARD || !scope.allowedValues) return true;
  return scope.allowedValues.some((allowed) => allowed === value);
}

/** Every problem with a scope definition's default and allowed values, against its type. */
export function checkScopeDefinition(scope: Pick<Scope, "type" | "defaultValue" | "allowedValues">): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  scope.allowedValues?.forEach((value, index) => {
    if (value === SCOPE_WILDCARD || typeof value !== scope.type)
      issues.push({ path: `body.allowedValues.${index}`, message: `Must be a ${scope.type}` });
  });
  const fallback = scope.defaultValue;
  if (fallback !== null && !matchesType(scope, fallback))
    issues.push({ path: "body.defaultValue", message: `Must be a ${scope.type}` });
  else if (fallback !== null && !isAllowed(scope, fallback))
    issues.push({ path: "body.defaultValue", message: "Must be one of allowedValues" });
  return issues;
}

/** Every problem with a scope set's values: unknown dimensions, wrong types, values outside the allowed list. */
export function checkScopeValues(values: ScopeValues, scopesByName: Map<string, Scope>): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  for (const [name, value] of Object.entries(values)) {
    const scope = scopesByName.get(name);
    const path = `body.values.${name}`;
    if (!scope) issues.push({ path, message: `Unknown scope "${name}"; create it under /scopes first` });
    else if (!matchesType(scope, value))
      issues.push({ path, message: `Must be a ${scope.type} or "${SCOPE_WILDCARD}"` });
    else if (!isAllowed(scope, value))
      issues.push({ path, message: `Must be one of: ${scope.allowedValues!.join(", ")}` });
  }
  return issues;
}

/** The canonical form of a set's values (keys sorted), so equal sets compare equal in the unique constraint. */
export function canonicalScopeKey(values: ScopeValues): string {
  const sorted = Object.keys(values)
    .sort()
    .map((key) => [key, values[key]]);
  return JSON.stringify(Object.fromEntries(sorted));
}
