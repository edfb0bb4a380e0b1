export { frameworkRoutes, FRAMEWORK_IMPORT_BODY_LIMIT, FRAMEWORK_IMPORT_PATH } from "./frameworks.routes.ts";
export { mappingRoutes } from "./mappings.routes.ts";
