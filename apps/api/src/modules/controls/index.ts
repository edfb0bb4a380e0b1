export { controlRoutes } from "./controls.routes.ts";
export {
  checkControlVersions,
  getVersionsOfControls,
  recordVersionIfChanged,
  type ControlVersionRow,
} from "./control-versions.service.ts";
export {
  catalogControls,
  createControl,
  createDraftControlsIn,
  getControl,
  getControlsWithCatalogs,
  getControlsWithCatalogsOfRuns,
  listAllControls,
  listControlsOfCatalog,
  requireControl,
  type ControlWithHistory,
} from "./controls.service.ts";
