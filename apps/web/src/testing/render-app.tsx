import type { Me } from "@status/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { flushSync } from "react-dom";
// The core RouterProvider rather than react-router/dom's: under vitest the /dom entry resolves to a second copy
// of react-router, whose contexts the route components would not see. It gets ReactDOM's flushSync as /dom's does,
// so that URL updates asking for it (the list-params hooks) render at once, as in the browser, and not in a transition.
import { createMemoryRouter, RouterProvider } from "react-router";
import { createRoutes, watchSessionExpiry } from "@/app/router.tsx";
import { queryConfig } from "@/lib/query-client.ts";
import { eventsHandler, meHandler } from "./http.ts";
import { server } from "./server.ts";

interface RenderAppOptions {
  /** The signed-in user that GET /auth/me answers with; null answers 401. Omit to register no handler. */
  me?: Me | null;
  /** What GET /events (the header's bell) answers; none by default. */
  events?: unknown[];
}

/** Renders the real route table at `path`, on a fresh query client, against the MSW server. */
export function renderApp(path: string, { me, events }: RenderAppOptions = {}) {
  if (me !== undefined) server.use(meHandler(me));
  // The header's bell asks for recent events on every page.
  server.use(eventsHandler(events));
  const queryClient = new QueryClient({
    defaultOptions: { ...queryConfig, queries: { ...queryConfig.queries, retry: false } },
  });
  const router = createMemoryRouter(createRoutes(queryClient), { initialEntries: [path] });
  // Each render replaces the previous test's handler, so no cleanup is needed.
  watchSessionExpiry(router, queryClient);
  const user = userEvent.setup();
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} flushSync={(fn) => void flushSync(fn)} />
    </QueryClientProvider>,
  );
  return { ...view, router, queryClient, user };
}

/** The current location of a memory router as a URL, for asserting on path and query string. */
export function currentUrl(router: ReturnType<typeof createMemoryRouter>): URL {
  const { pathname, search } = router.state.location;
  return new URL(`${pathname}${search}`, "http://localhost");
}
