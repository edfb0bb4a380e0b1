export { dashboardRoutes } from "./dashboards.routes.ts";
export { createGrafanaProxy, type GrafanaProxy } from "./grafana-proxy.ts";
export { probeGrafana, startGrafanaBootstrap, type GrafanaProbe } from "./grafana-status.service.ts";
export { grafanaServiceAccountTokenColumn } from "./grafana-encrypted-columns.ts";
