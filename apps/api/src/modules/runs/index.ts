export { receiveBulkItems, receiveBulkItemsAsUser } from "./bulk-items.service.ts";
export { evaluationPlanOf, type EvaluationPlan } from "./evaluation-plan.ts";
export { createRunProcessor } from "./run-processor.ts";
export { getRunQueueStats, waitWhileWorkersHoldRuns } from "./run-metrics.service.ts";
export { redeliverLostRuns } from "./run-redelivery.service.ts";
export { verifyRunToken } from "./run-token.ts";
export { runRoutes } from "./runs.routes.ts";
export { insertRunBatch, removeRunsOfDraftControls, runControl, runForCollector, type NewRun } from "./runs.service.ts";
