export { publishDueCatalogs } from "./publication.service.ts";
export { registryApiRoutes } from "./registry-api.routes.ts";
export { getRegistryCompliance } from "./registry-api.service.ts";
export { createRegistryClient } from "./registry-client.ts";
export { syncClosedWindows } from "./registry-sync.service.ts";
export { registryRoutes } from "./registry.routes.ts";
