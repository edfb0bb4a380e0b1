export { overviewRoutes } from "./overview.routes.ts";
// For npm run bench:states: the overview's compliance-now query, timed on a large data set.
export { listCatalogCompliance } from "./overview.repository.ts";
export { FAILED_CONTROLS_SQL } from "./failures.repository.ts";
export { listFailures } from "./failures.service.ts";
export { listControlStates } from "./overview.service.ts";
