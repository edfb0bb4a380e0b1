export { catalogRoutes } from "./catalogs.routes.ts";
export {
  createCatalog,
  findCatalogsByIds,
  findCatalogsOfRuns,
  getCatalog,
  listAllCatalogs,
  requireCatalog,
  updateCatalog,
} from "./catalogs.service.ts";
