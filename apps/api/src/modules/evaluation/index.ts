// The evaluation pipeline's public surface: everything outside modules/evaluation uses the pipeline through this file
// only (.dependency-cruiser.cjs). README.md here walks the path of a run; the exports follow that path.

// 1. Schedule: which windows are owed, and under which control version.
export { scheduleDueWindows } from "./schedule/scheduler.service.ts";
export { evaluationPlanOf, type EvaluationPlan } from "./schedule/evaluation-plan.ts";

// 2. Enqueue: runs asked for by people, tokens and tools; the queue's health; redelivery of runs the queue lost.
export { runControl, removeRunsOfDraftControls, windowOutsideLife, type NewRun } from "./runs/runs.service.ts";
export { getRunQueueStats, waitWhileWorkersHoldRuns } from "./runs/run-metrics.service.ts";
export { redeliverLostRuns } from "./runs/run-redelivery.service.ts";
export { runRoutes } from "./runs/runs.routes.ts";

// 3. Claim and call the mashup: the worker's processor, and the terms a window is evaluated with.
export { createRunProcessor } from "./worker/run-processor.ts";
export { termsForWindow } from "./worker/run-terms.ts";

// 4. Results: computations and their evidences, read back by the API, MCP, assistants and the registry.
export { receiveBulkItemsAsUser } from "./results/bulk-items.service.ts";
export {
  findComputationDigests,
  getComputationDetail,
  listControlComputations,
} from "./results/computations.service.ts";
export { computationRoutes } from "./results/computations.routes.ts";

// Pushed evidence (modules/evidence-push) is stored as runs and computations of this module's tables.
export {
  findDecidingPushComputation,
  insertPushSubmissions,
  listClosedPushWindowsWithoutPoint,
  readPushTargetStamp,
  setComputationPoint,
  type OpenPushWindow,
  type PushSubmission,
  type PushSubmissionOutcome,
} from "./runs/push-runs.repository.ts";
