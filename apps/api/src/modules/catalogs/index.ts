export { catalogRoutes } from "./catalogs.routes.ts";
export {
  createCatalog,
  createDraftCatalogIn,
  findCatalogsByIds,
  findCatalogsOfRuns,
  getCatalog,
  listAllCatalogs,
  requireCatalog,
  updateCatalog,
} from "./catalogs.service.ts";
