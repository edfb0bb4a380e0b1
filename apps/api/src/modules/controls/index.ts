export { controlRoutes } from "./controls.routes.ts";
export {
  checkControlVersions,
  getVersionsOfControls,
  listVersionsInPeriod,
  recordVersionIfChanged,
  type ControlVersionRow,
  type VersionInPeriod,
} from "./control-versions.service.ts";
export {
  assertControlNotArchived,
  catalogControls,
  countPointsOfControl,
  createControl,
  createDraftControlsIn,
  getControl,
  getControlsWithCatalogs,
  getControlsWithCatalogsOfRuns,
  getControlsWithHistory,
  listAllControls,
  listControlIdsInCatalog,
  listControlsOfCatalog,
  removeControlRow,
  requireControl,
  setControlArchive,
  type ControlWithHistory,
} from "./controls.service.ts";
