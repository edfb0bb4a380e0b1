import {
  ControlPanelListSchema,
  ControlPanelParamsSchema,
  ControlPanelSchema,
  CreateDashboardBodySchema,
  CreateDashboardFolderBodySchema,
  DashboardDetailSchema,
  DashboardFolderListSchema,
  DashboardFolderSchema,
  DashboardListQuerySchema,
  DashboardPageSchema,
  DashboardUidParamsSchema,
  DependencyCheckSchema,
  IdParamsSchema,
  ImportDashboardBodySchema,
  LinkControlPanelBodySchema,
  SavedDashboardSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { linkControlPanel, listControlPanels, unlinkControlPanel } from "./control-panels.service.ts";
import {
  checkGrafana,
  createDashboard,
  createFolder,
  deleteDashboard,
  deleteFolder,
  getDashboard,
  importDashboard,
  listDashboards,
  listFolders,
} from "./dashboards.service.ts";
import { grafanaIdentityHeaders } from "./grafana-identity.ts";
import {
  createGrafanaActorResolver,
  GRAFANA_PASS_COOKIE,
  GRAFANA_PASS_TTL_SECONDS,
  signGrafanaPass,
} from "./grafana-pass.ts";
import { UnauthenticatedError } from "../../errors.ts";

const GRAFANA_DOWN = {
  502: { description: "Grafana unreachable or refused the service token" },
  503: { description: "Grafana is not configured" },
  504: { description: "Grafana did not answer in time" },
};

/** Dashboards and folders in Grafana (USER reads, DEVELOPER changes), and panels linked to controls. */
export function dashboardRoutes(deps: AppDeps): RouteDefinition[] {
  const resolveGrafanaActor = createGrafanaActorResolver(deps);
  return [
    defineRoute({
      method: "get",
      path: "/dashboards",
      summary: "List Grafana dashboards",
      tag: "Dashboards",
      access: "USER",
      query: DashboardListQuerySchema,
      responses: { 200: { description: "A page of dashboards", schema: DashboardPageSchema }, ...GRAFANA_DOWN },
      async handler({ res, query }) {
        res.json(await listDashboards(deps, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/dashboards",
      summary: "Create a dashboard from a STATUS template",
      tag: "Dashboards",
      access: "DEVELOPER",
      body: CreateDashboardBodySchema,
      responses: {
        201: { description: "The dashboard", schema: SavedDashboardSchema },
        404: { description: "No such catalog, control or folder" },
        409: { description: "A dashboard with this title exists in the folder" },
        ...GRAFANA_DOWN,
      },
      async handler({ res, actor, body }) {
        const saved = await createDashboard(deps, actor, body);
        res.status(201).location(`/api/v1/dashboards/${saved.uid}`).json(saved);
      },
    }),
    defineRoute({
      method: "post",
      path: "/dashboards/import",
      summary: "Import a dashboard's JSON model",
      tag: "Dashboards",
      access: "DEVELOPER",
      body: ImportDashboardBodySchema,
      responses: {
        201: { description: "The dashboard", schema: SavedDashboardSchema },
        409: { description: "Exists (import with overwrite) or changed meanwhile" },
        413: { description: "Too large" },
        ...GRAFANA_DOWN,
      },
      async handler({ res, actor, body }) {
        const saved = await importDashboard(deps, actor, body);
        res.status(201).location(`/api/v1/dashboards/${saved.uid}`).json(saved);
      },
    }),
    defineRoute({
      method: "get",
      path: "/dashboards/:uid",
      summary: "Export a dashboard (its JSON model and panels)",
      tag: "Dashboards",
      access: "USER",
      params: DashboardUidParamsSchema,
      responses: {
        200: { description: "The dashboard", schema: DashboardDetailSchema },
        404: { description: "No such dashboard" },
        ...GRAFANA_DOWN,
      },
      async handler({ res, params }) {
        res.json(await getDashboard(deps, params.uid));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/dashboards/:uid",
      summary: "Delete a dashboard (and the control links to its panels)",
      tag: "Dashboards",
      access: "DEVELOPER",
      params: DashboardUidParamsSchema,
      responses: { 204: { description: "Deleted" }, 404: { description: "No such dashboard" }, ...GRAFANA_DOWN },
      async handler({ res, actor, params }) {
        await deleteDashboard(deps, actor, params.uid);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/dashboard-folders",
      summary: "List Grafana folders",
      tag: "Dashboards",
      access: "USER",
      responses: { 200: { description: "The folders", schema: DashboardFolderListSchema }, ...GRAFANA_DOWN },
      async handler({ res }) {
        res.json({ items: await listFolders(deps) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/dashboard-folders",
      summary: "Create a Grafana folder",
      tag: "Dashboards",
      access: "DEVELOPER",
      body: CreateDashboardFolderBodySchema,
      responses: {
        201: { description: "The folder", schema: DashboardFolderSchema },
        409: { description: "A folder with this title exists" },
        ...GRAFANA_DOWN,
      },
      async handler({ res, actor, body }) {
        res.status(201).json(await createFolder(deps, actor, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/dashboard-folders/:uid",
      summary: "Delete a Grafana folder with its dashboards",
      tag: "Dashboards",
      access: "DEVELOPER",
      params: DashboardUidParamsSchema,
      responses: { 204: { description: "Deleted" }, 404: { description: "No such folder" }, ...GRAFANA_DOWN },
      async handler({ res, actor, params }) {
        await deleteFolder(deps, actor, params.uid);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/panels",
      summary: "List the Grafana panels linked to a control",
      tag: "Dashboards",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "The linked panels", schema: ControlPanelListSchema },
        404: { description: "No such control" },
      },
      async handler({ res, params }) {
        res.json({ items: await listControlPanels(deps, params.id) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/panels",
      summary: "Link a Grafana panel to a control",
      tag: "Dashboards",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: LinkControlPanelBodySchema,
      responses: {
        201: { description: "The link", schema: ControlPanelSchema },
        404: { description: "No such control or dashboard" },
        409: { description: "Linked already" },
        422: { description: "No such panel" },
        ...GRAFANA_DOWN,
      },
      async handler({ res, actor, params, body }) {
        const link = await linkControlPanel(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/controls/${params.id}/panels/${link.id}`).json(link);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id/panels/:linkId",
      summary: "Unlink a Grafana panel from a control",
      tag: "Dashboards",
      access: "DEVELOPER",
      params: ControlPanelParamsSchema,
      responses: { 204: { description: "Unlinked" }, 404: { description: "No such link" } },
      async handler({ res, actor, params }) {
        await unlinkControlPanel(deps, actor, params.id, params.linkId);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/grafana/health",
      summary: "Whether Grafana answers, with the configured URL and token",
      tag: "Dashboards",
      access: "USER",
      responses: {
        200: {
          description:
            "Grafana's state (`up`, `pending` while STATUS makes its service account, or `down` with the reason)",
          schema: DependencyCheckSchema,
        },
        503: { description: "Grafana is not configured" },
      },
      async handler({ res }) {
        res.json(await checkGrafana(deps));
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/grafana",
      summary: "Grafana auth-proxy check: who the signed-in user is for Grafana (nginx auth_request)",
      tag: "Auth",
      access: "USER",
      responses: {
        204: {
          description:
            "Signed in; X-WEBAUTH-USER, -NAME, -EMAIL and -ROLE carry the identity (and the Grafana pass cookie is set)",
        },
        401: { description: "Not signed in" },
      },
      async handler({ res, actor }) {
        const identity = await grafanaIdentityHeaders(deps, actor);
        // The SPA calls this before showing Grafana: the pass keeps the app's /grafana/ proxy open after the access
        // token expires.
        const pass = deps.config.grafana.isEnabled
          ? signGrafanaPass(deps.keys, actor, Math.floor(deps.now().getTime() / 1000))
          : undefined;
        if (pass) {
          res.cookie(GRAFANA_PASS_COOKIE, pass, {
            httpOnly: true,
            secure: deps.config.auth.secureCookies,
            sameSite: "lax",
            path: deps.config.grafana.publicPath,
            maxAge: GRAFANA_PASS_TTL_SECONDS * 1000,
          });
        }
        res.set(identity).status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/grafana/verify",
      summary:
        "nginx auth_request for /grafana/: the Grafana identity of the access cookie or, once that has expired, of the Grafana pass",
      tag: "Auth",
      access: "public",
      responses: {
        204: { description: "X-WEBAUTH-USER, -NAME, -EMAIL and -ROLE carry the identity" },
        401: { description: "Neither a valid access cookie nor a valid Grafana pass (token_invalid)" },
      },
      async handler({ req, res }) {
        // Public in the route table because the Grafana pass is a credential only this check accepts; it still refuses
        // anyone without one.
        const actor = await resolveGrafanaActor(req.headers.cookie);
        if (!actor) throw new UnauthenticatedError("token_invalid", "Sign in to STATUS to open Grafana");
        res
          .set(await grafanaIdentityHeaders(deps, actor))
          .status(204)
          .end();
      },
    }),
  ];
}
