export { EVIDENCE_IMPORT_PATHS, evidenceImportRoutes } from "./evidence-import.routes.ts";
