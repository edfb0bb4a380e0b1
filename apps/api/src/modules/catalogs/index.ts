export { catalogRoutes } from "./catalogs.routes.ts";
export {
  assertCatalogNotArchived,
  countPointsOfCatalog,
  createCatalog,
  createDraftCatalogIn,
  findCatalogsByIds,
  getCatalog,
  listAllCatalogs,
  removeCatalogRow,
  requireCatalog,
  requireCatalogGate,
  setCatalogArchive,
  updateCatalog,
} from "./catalogs.service.ts";
