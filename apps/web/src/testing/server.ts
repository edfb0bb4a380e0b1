import { setupServer } from "msw/node";

/** The fake HTTP layer of the web tests; each test registers the API answers it needs with `server.use`. */
export const server = setupServer();
