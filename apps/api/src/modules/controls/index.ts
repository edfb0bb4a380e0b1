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
  getControlsWithHistory,
  listAllControls,
  listControlIdsInCatalog,
  listControlsOfCatalog,
  removeControlRow,
  requireControl,
  setControlArchive,
  type ControlWithHistory,
} from "./controls.service.ts";
export { runContextsOfControls, type RunContext } from "./run-contexts.service.ts";
export { RUN_CONTROL_COLUMNS, RUN_CONTROL_FROM, type RunControl } from "./controls.repository.ts";
