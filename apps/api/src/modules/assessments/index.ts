export { assessmentRoutes } from "./assessments.routes.ts";
export {
  assessCatalogPeriod,
  exportAssessmentResults,
  streamAssessmentResults,
  type AssessedPeriod,
} from "./assessments.service.ts";
export { applicabilityRoutes } from "./applicability.routes.ts";
export { evidencePackRoutes } from "./evidence-packs.routes.ts";
export { expireEvidencePacks, processNextEvidencePack, startEvidencePackWorker } from "./evidence-packs.service.ts";
