export { retentionRoutes } from "./retention.routes.ts";
export { pruneExpiredRecords, type PruneOutcome } from "./retention.service.ts";
