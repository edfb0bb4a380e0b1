export { assessmentRoutes } from "./assessments.routes.ts";
export { assessCatalogPeriod, type AssessedPeriod } from "./assessments.service.ts";
