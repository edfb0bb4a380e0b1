import { setupServer } from "msw/node";
import { capabilitiesHandler } from "./http.ts";

/**
 * The fake HTTP layer of the web tests; each test registers the API answers it needs with `server.use`. The one
 * default: every integration is configured (the app asks once at start); a test about a missing one overrides it.
 */
export const server = setupServer(capabilitiesHandler());
