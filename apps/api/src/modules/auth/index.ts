export { setEditorPassCookie, setSessionCookies } from "./auth-cookies.ts";
export { authRoutes } from "./auth.routes.ts";
export { createAuthenticator, createCsrfVerifier, forgetCredentialsOnChange } from "./authenticate.ts";
export { createEditorActorResolver } from "./editor-pass.ts";
export { githubRoutes } from "./github.routes.ts";
export { createSessionPass } from "./session-pass.ts";
export { startUserSession, type SignedIn } from "./auth.service.ts";
