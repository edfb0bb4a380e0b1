import { ApiTokenScopeSchema, IdSchema, type ApiTokenScope } from "@status/shared";

/** What a link asks the new-token form to start with, e.g. from a push control's "Create a token for this control". */
export interface TokenPrefill {
  scopes: ApiTokenScope[];
  catalogIds: string[];
  controlIds: string[];
}

/**
 * `?scopes=evidence:write&controlId=<id>` (scopes comma-separated or repeated; `catalogId` and `controlId` may repeat).
 * Unknown scopes and malformed ids are dropped; undefined when the URL asks for nothing.
 */
export function parseTokenPrefill(searchParams: URLSearchParams): TokenPrefill | undefined {
  const scopes = searchParams
    .getAll("scopes")
    .flatMap((value) => value.split(","))
    .filter((value): value is ApiTokenScope => ApiTokenScopeSchema.safeParse(value.trim()).success);
  const ids = (name: string) => searchParams.getAll(name).filter((value) => IdSchema.safeParse(value).success);
  const prefill = { scopes: [...new Set(scopes)], catalogIds: ids("catalogId"), controlIds: ids("controlId") };
  const asksSomething = prefill.scopes.length + prefill.catalogIds.length + prefill.controlIds.length > 0;
  return asksSomething ? prefill : undefined;
}
