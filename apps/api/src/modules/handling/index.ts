export { handlingRoutes } from "./handling.routes.ts";
export { ownershipRoutes } from "./ownership.routes.ts";
