export { createScopeSet, removeScopeSetsOfDraftControls, scopesToEvaluate } from "./scope-sets.service.ts";
export { canonicalScopeKey } from "./scope-values.ts";
export { scopeRoutes } from "./scopes.routes.ts";
export { createScope, listAllScopes } from "./scopes.service.ts";
