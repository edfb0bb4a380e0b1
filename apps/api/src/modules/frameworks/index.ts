export { frameworkRoutes, FRAMEWORK_IMPORT_BODY_LIMIT, FRAMEWORK_IMPORT_PATH } from "./frameworks.routes.ts";
export { mappingRoutes } from "./mappings.routes.ts";
export { importFramework } from "./import.service.ts";
export { getFrameworkCompliance } from "./compliance.service.ts";
export { LIBRARY_DIR } from "./library.service.ts";
export { isImportJobDelivery, processImportJobDelivery, redeliverLostImportJobs } from "./import-jobs.service.ts";
export { listCatalogMappings } from "./mappings.service.ts";
export { validateOscal, type OscalModel } from "./oscal/oscal-schema.ts";
export { getRequirementsByIds, requireFramework } from "./frameworks.service.ts";
