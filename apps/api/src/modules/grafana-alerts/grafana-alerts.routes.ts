import {
  GrafanaAlertListQuerySchema,
  GrafanaAlertListSchema,
  GrafanaAlertsReceiptSchema,
  GrafanaWebhookBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { parse } from "../../http/parse.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { assertGrafanaAlertToken, listRecordedGrafanaAlerts, recordGrafanaAlerts } from "./grafana-alerts.service.ts";

/** The endpoint Grafana's provisioned contact point posts to, and the list of what it reported. */
export function grafanaAlertRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "post",
      path: "/integrations/grafana/alerts",
      summary: "Grafana's webhook contact point: records its alerts (Bearer GRAFANA_ALERT_WEBHOOK_TOKEN)",
      tag: "Integrations",
      // Grafana is no STATUS user: it authenticates with its own token, checked before the body is parsed (a caller
      // without the token learns nothing about what the body should be).
      access: "public",
      responses: {
        202: { description: "Recorded", schema: GrafanaAlertsReceiptSchema },
        401: { description: "Missing or wrong token" },
        404: { description: "`grafana_alerts_not_configured`: GRAFANA_ALERT_WEBHOOK_TOKEN is not set" },
      },
      async handler({ req, res }) {
        assertGrafanaAlertToken(deps, req.get("authorization"));
        const body = parse(GrafanaWebhookBodySchema, req.body ?? {}, "body");
        res.status(202).json(await recordGrafanaAlerts(deps, body));
      },
    }),
    defineRoute({
      method: "get",
      path: "/integrations/grafana/alerts",
      summary: "The newest alerts Grafana reported to STATUS",
      tag: "Integrations",
      access: "DEVELOPER",
      query: GrafanaAlertListQuerySchema,
      responses: { 200: { description: "Alerts, newest first", schema: GrafanaAlertListSchema } },
      async handler({ res, query }) {
        res.json(await listRecordedGrafanaAlerts(deps, query.limit));
      },
    }),
  ];
}
