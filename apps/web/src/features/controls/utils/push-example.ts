import type { ScopeSet } from "@status/shared";
import { API_BASE_URL } from "@/lib/api-client.ts";

/** The path a push control's evidence is sent to, under the API. */
export function pushEvidencePath(controlId: string): string {
  return `${API_BASE_URL}/controls/${encodeURIComponent(controlId)}/evidence`;
}

/** The tokens page, with a new token's scope and its limit to this control filled in. */
export function pushTokenPath(controlId: string): string {
  const params = new URLSearchParams({ scopes: "evidence:write", controlId });
  return `/api-tokens?${params.toString()}`;
}

/**
 * A sample body for the control: one evidence, and — when the control has scope sets — the first set's values as the
 * scope (the API requires one of them).
 */
export function samplePushBody(scopeSets: readonly Pick<ScopeSet, "values">[]): Record<string, unknown> {
  const scope = scopeSets[0]?.values;
  return {
    ...(scope ? { scope } : {}),
    evidences: [{ key: "example-check", value: { checked: true }, result: "pass" }],
  };
}

/** Quotes text for a POSIX shell, inside single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A ready-to-copy `curl` for the endpoint: the token from an environment variable (never written into the page), an
 * Idempotency-Key made once per submission (a retry that reuses it is answered once, never stored twice), and the
 * sample body.
 */
export function pushCurlExample(input: { origin: string; controlId: string; body: Record<string, unknown> }): string {
  return [
    "# One key per submission; reuse it when retrying the same submission.",
    "IDEMPOTENCY_KEY=$(uuidgen)",
    `curl -sS -X POST ${shellQuote(`${input.origin}${pushEvidencePath(input.controlId)}`)} \\`,
    `  -H "Authorization: Bearer $STATUS_TOKEN" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: $IDEMPOTENCY_KEY" \\`,
    `  --data ${shellQuote(JSON.stringify(input.body, null, 2))}`,
  ].join("\n");
}
