export { dashboardRoutes } from "./dashboards.routes.ts";
export { createGrafanaProxy, type GrafanaProxy } from "./grafana-proxy.ts";
