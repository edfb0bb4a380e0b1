export { controlRoutes } from "./controls.routes.ts";
export {
  catalogControls,
  createControl,
  getControl,
  getControlsWithCatalogs,
  getControlsWithCatalogsOfRuns,
  listAllControls,
  listControlsOfCatalog,
  requireControl,
} from "./controls.service.ts";
