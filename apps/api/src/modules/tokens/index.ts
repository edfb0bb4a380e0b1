export { tokenRoutes } from "./tokens.routes.ts";
export { authenticateApiToken, looksLikeApiToken } from "./tokens.service.ts";
export { createTokenResourceResolver } from "./token-resource.ts";
