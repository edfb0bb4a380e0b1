export { receiveBulkItems, receiveBulkItemsAsUser } from "./results/bulk-items.service.ts";
export { evaluationPlanOf, type EvaluationPlan } from "./schedule/evaluation-plan.ts";
export { createRunProcessor } from "./worker/run-processor.ts";
export { getRunQueueStats, waitWhileWorkersHoldRuns } from "./runs/run-metrics.service.ts";
export { redeliverLostRuns } from "./runs/run-redelivery.service.ts";
export { verifyRunToken } from "./worker/run-token.ts";
export { runRoutes } from "./runs/runs.routes.ts";
export {
  insertRunBatch,
  removeRunsOfDraftControls,
  runControl,
  runForCollector,
  windowOutsideLife,
  type NewRun,
} from "./runs/runs.service.ts";
export {
  findDecidingPushComputation,
  insertPushRun,
  listClosedPushWindowsWithoutPoint,
  setComputationPoint,
  type OpenPushWindow,
  type PushComputation,
} from "./runs/push-runs.repository.ts";
export { storeComputationResults } from "./results/run-results.repository.ts";
export { termsForWindow } from "./worker/run-terms.ts";
export { computationRoutes } from "./results/computations.routes.ts";
export {
  findComputationDigests,
  getComputationDetail,
  listControlComputations,
} from "./results/computations.service.ts";
export { scheduleDueWindows } from "./schedule/scheduler.service.ts";
