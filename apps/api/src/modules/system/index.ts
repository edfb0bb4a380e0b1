export { systemRoutes } from "./system.routes.ts";
export { checkSystemHealth } from "./system-health.service.ts";
