export { archiveRoutes } from "./archive.routes.ts";
export { archiveCatalog, archiveControl, restoreCatalog, restoreControl } from "./archive.service.ts";
