export { receiveBulkItems, receiveBulkItemsAsUser } from "./bulk-items.service.ts";
export { evaluationPlanOf, type EvaluationPlan } from "./evaluation-plan.ts";
export { createRunProcessor } from "./run-processor.ts";
export { getRunQueueStats, waitWhileWorkersHoldRuns } from "./run-metrics.service.ts";
export { redeliverLostRuns } from "./run-redelivery.service.ts";
export { verifyRunToken } from "./run-token.ts";
export { runRoutes } from "./runs.routes.ts";
export {
  insertRunBatch,
  removeRunsOfDraftControls,
  runControl,
  runForCollector,
  windowOutsideLife,
  type NewRun,
} from "./runs.service.ts";
export {
  findDecidingPushComputation,
  insertPushSubmission,
  listClosedPushWindowsWithoutPoint,
  readPushTargetStamp,
  setComputationPoint,
  type OpenPushWindow,
  type PushComputation,
  type PushSubmission,
} from "./push-runs.repository.ts";
export { storeComputationResults } from "./run-results.repository.ts";
export { termsForWindow } from "./run-terms.ts";
