export { grafanaAlertRoutes } from "./grafana-alerts.routes.ts";
