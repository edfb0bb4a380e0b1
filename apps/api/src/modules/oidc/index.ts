export { oidcRoutes } from "./oidc.routes.ts";
