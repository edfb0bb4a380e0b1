import { createHash, timingSafeEqual } from "node:crypto";
import type { GrafanaAlertList, GrafanaAlertsReceipt, GrafanaWebhookBody } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { AppError, UnauthenticatedError } from "../../errors.ts";
import { insertGrafanaAlerts, listGrafanaAlerts } from "./grafana-alerts.repository.ts";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Checks the `Authorization: Bearer …` Grafana's contact point sends against GRAFANA_ALERT_WEBHOOK_TOKEN (compared
 * in constant time). Without the variable the integration does not exist on this server: 404.
 */
export function assertGrafanaAlertToken(deps: AppDeps, authorization: string | undefined): void {
  const expected = deps.config.grafanaAlerts.webhookToken;
  if (!expected)
    throw new AppError(
      404,
      "grafana_alerts_not_configured",
      "Grafana alerts are not configured",
      "Set GRAFANA_ALERT_WEBHOOK_TOKEN for the API and for Grafana",
    );
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  if (!presented || !timingSafeEqual(digest(presented), digest(expected)))
    throw new UnauthenticatedError("token_invalid", "Send the Grafana alert webhook token as a Bearer token");
}

/** Records the alerts of one Grafana notification (firing and resolved); a repeated notification adds nothing. */
export async function recordGrafanaAlerts(deps: AppDeps, body: GrafanaWebhookBody): Promise<GrafanaAlertsReceipt> {
  const recorded = await insertGrafanaAlerts(deps.db, { alerts: body.alerts, receivedAt: deps.now() });
  deps.log.info({ received: body.alerts.length, recorded, status: body.status }, "Grafana alerts received");
  return { received: body.alerts.length, recorded };
}

/** The newest alerts Grafana reported, for people looking into them. */
export async function listRecordedGrafanaAlerts(deps: AppDeps, limit: number): Promise<GrafanaAlertList> {
  return { items: await listGrafanaAlerts(deps.db, limit) };
}
