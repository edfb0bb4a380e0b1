import type { QueryClient } from "@tanstack/react-query";
import { createBrowserRouter, type RouteObject } from "react-router";
import { RouteErrorBoundary } from "@/components/errors/route-error-boundary.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { buildLoginPath } from "@/features/auth/utils/next-path.ts";
import { setSessionExpiredHandler } from "@/lib/api-client.ts";

type AppRouter = ReturnType<typeof createBrowserRouter>;

/** The route table. Route modules are lazy, so each page's code loads on first visit. */
export function createRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      path: "/login",
      HydrateFallback: PageSpinner,
      ErrorBoundary: RouteErrorBoundary,
      lazy: async () => {
        const { LoginRoute, clientLoader } = await import("./routes/auth/login.tsx");
        return { Component: LoginRoute, loader: clientLoader(queryClient) };
      },
    },
    {
      path: "/change-password",
      HydrateFallback: PageSpinner,
      ErrorBoundary: RouteErrorBoundary,
      lazy: async () => {
        const { ChangePasswordRoute, clientLoader } = await import("./routes/auth/change-password.tsx");
        return { Component: ChangePasswordRoute, loader: clientLoader(queryClient) };
      },
    },
    {
      path: "/",
      HydrateFallback: PageSpinner,
      ErrorBoundary: RouteErrorBoundary,
      lazy: async () => {
        const { AppRoot, clientLoader } = await import("./routes/app/root.tsx");
        return { Component: AppRoot, loader: clientLoader(queryClient) };
      },
      children: [
        {
          index: true,
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { OverviewRoute, clientLoader } = await import("./routes/app/overview/overview.tsx");
            return { Component: OverviewRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "catalogs",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { CatalogsRoute, clientLoader } = await import("./routes/app/catalogs/catalogs.tsx");
            return { Component: CatalogsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "catalogs/new",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { NewCatalogRoute, clientLoader } = await import("./routes/app/catalogs/new-catalog/new-catalog.tsx");
            return { Component: NewCatalogRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "catalogs/:catalogId",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { CatalogRoute, clientLoader } = await import("./routes/app/catalogs/catalog.tsx");
            return { Component: CatalogRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "catalogs/:catalogId/auditors",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { AuditorsRoute, clientLoader } = await import("./routes/app/catalogs/auditors.tsx");
            return { Component: AuditorsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "catalogs/:catalogId/controls/:controlId",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { ControlRoute, clientLoader } = await import("./routes/app/catalogs/control.tsx");
            return { Component: ControlRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "frameworks",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { FrameworksRoute, clientLoader } = await import("./routes/app/frameworks/frameworks.tsx");
            return { Component: FrameworksRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "frameworks/import",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { ImportFrameworkRoute } = await import("./routes/app/frameworks/import-framework.tsx");
            return { Component: ImportFrameworkRoute };
          },
        },
        {
          path: "frameworks/:frameworkId/statement-of-applicability",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { StatementOfApplicabilityRoute, clientLoader } =
              await import("./routes/app/frameworks/statement-of-applicability.tsx");
            return { Component: StatementOfApplicabilityRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "frameworks/:frameworkId",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { FrameworkRoute, clientLoader } = await import("./routes/app/frameworks/framework.tsx");
            return { Component: FrameworkRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "scopes",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { ScopesRoute, clientLoader } = await import("./routes/app/scopes/scopes.tsx");
            return { Component: ScopesRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "mashups",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { MashupsRoute, clientLoader } = await import("./routes/app/mashups/mashups.tsx");
            return { Component: MashupsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "runs",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { RunsRoute, clientLoader } = await import("./routes/app/runs/runs.tsx");
            return { Component: RunsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "dashboards",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { DashboardsRoute, clientLoader } = await import("./routes/app/dashboards/dashboards.tsx");
            return { Component: DashboardsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "dashboards/:uid",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { DashboardRoute, clientLoader } = await import("./routes/app/dashboards/dashboard.tsx");
            return { Component: DashboardRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "assistants",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { AssistantsRoute, clientLoader } = await import("./routes/app/assistants/assistants.tsx");
            return { Component: AssistantsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "assistants/:assistantId",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { AssistantChatRoute, clientLoader } = await import("./routes/app/assistants/assistant-chat.tsx");
            return { Component: AssistantChatRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "audit-log",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { AuditRoute, clientLoader } = await import("./routes/app/audit/audit.tsx");
            return { Component: AuditRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "users",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { UsersRoute, clientLoader } = await import("./routes/app/users/users.tsx");
            return { Component: UsersRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "api-tokens",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { TokensRoute, clientLoader } = await import("./routes/app/tokens/tokens.tsx");
            return { Component: TokensRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "my-controls",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { MyControlsRoute, clientLoader } = await import("./routes/app/my-controls/my-controls.tsx");
            return { Component: MyControlsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "notifications",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { NotificationsRoute, clientLoader } = await import("./routes/app/notifications/notifications.tsx");
            return { Component: NotificationsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "profile",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { ProfileRoute, clientLoader } = await import("./routes/app/profile/profile.tsx");
            return { Component: ProfileRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "settings",
          ErrorBoundary: RouteErrorBoundary,
          lazy: async () => {
            const { SettingsRoute, clientLoader } = await import("./routes/app/settings/settings.tsx");
            return { Component: SettingsRoute, loader: clientLoader(queryClient) };
          },
        },
        {
          path: "*",
          lazy: async () => ({ Component: (await import("./routes/app/not-found.tsx")).NotFoundRoute }),
        },
      ],
    },
  ];
}

/**
 * When the API client cannot refresh an ended session, go to sign-in and come back here afterwards.
 * Cached data is dropped after the navigation, so no mounted page refetches as a signed-out user.
 */
export function watchSessionExpiry(router: AppRouter, queryClient: QueryClient): () => void {
  setSessionExpiredHandler(() => {
    const { pathname, search } = router.state.location;
    if (pathname === "/login") return;
    void router.navigate(buildLoginPath(pathname + search), { replace: true }).then(() => queryClient.clear());
  });
  return () => setSessionExpiredHandler(null);
}

/** The app's one router, created once at startup (outside React, so StrictMode does not create two). */
export function createAppRouter(queryClient: QueryClient): AppRouter {
  const router = createBrowserRouter(createRoutes(queryClient));
  watchSessionExpiry(router, queryClient);
  return router;
}
