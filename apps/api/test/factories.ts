import type { Catalog, Control, Scope, ScopeSet, ScopeValues } from "@status/shared";
import { request } from "./http-client.ts";
import { uniqueSuffix, type TestApp } from "./test-app.ts";

/**
 * Builders that create resources through the API, so every test starts from data it made itself. Each one fails
 * loudly when the API refuses, because a factory failing is never what a test means to check.
 */

function expectCreated<T>(response: { status: number; text: string; body: T }, what: string): T {
  if (response.status !== 201) throw new Error(`creating ${what} failed: ${response.status} ${response.text}`);
  return response.body;
}

/** A draft catalog with a unique name. */
export async function createCatalogVia(
  app: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<Catalog> {
  const body = { name: `Catalog ${uniqueSuffix()}`, description: "Built by a test", ...overrides };
  return expectCreated(await request<Catalog>(app, "POST", "/api/v1/catalogs", { token, body }), "a catalog");
}

/** A control of `catalogId`, with a unique name and (by default) a mashup, so the catalog can be finalized. */
export async function createControlVia(
  app: TestApp,
  token: string,
  catalogId: string,
  overrides: Record<string, unknown> = {},
): Promise<Control> {
  const body = { name: `Control ${uniqueSuffix()}`, mashupId: `mashup-${uniqueSuffix()}`, ...overrides };
  return expectCreated(
    await request<Control>(app, "POST", `/api/v1/catalogs/${catalogId}/controls`, { token, body }),
    "a control",
  );
}

/** A scope dimension with a unique lower_snake name (string-typed unless overridden). */
export async function createScopeVia(
  app: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<Scope> {
  const body = { name: `scope_${uniqueSuffix()}`, ...overrides };
  return expectCreated(await request<Scope>(app, "POST", "/api/v1/scopes", { token, body }), "a scope");
}

/** A scope set of `controlId` with the given values; a finalized control needs the `reason` (it makes a version). */
export async function createScopeSetVia(
  app: TestApp,
  token: string,
  controlId: string,
  values: ScopeValues,
  reason?: string,
): Promise<ScopeSet> {
  const body = reason === undefined ? { values } : { values, reason };
  return expectCreated(
    await request<ScopeSet>(app, "POST", `/api/v1/controls/${controlId}/scope-sets`, { token, body }),
    "a scope set",
  );
}

/** A catalog that is already finalized, with one control bound to a mashup. */
export async function createFinalizedCatalogVia(
  app: TestApp,
  token: string,
): Promise<{ catalog: Catalog; control: Control }> {
  const draft = await createCatalogVia(app, token, { startDate: "2025-01-01T00:00:00Z" });
  const control = await createControlVia(app, token, draft.id);
  const response = await request<Catalog>(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
    token,
    body: { status: "finalized" },
  });
  if (response.status !== 200) throw new Error(`finalizing a catalog failed: ${response.status} ${response.text}`);
  return { catalog: response.body, control };
}
