import type { GrafanaAlert, GrafanaWebhookAlert } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

/** Grafana's "no end yet" instant. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Records the alerts of one notification; an instance already recorded with the same status and start is skipped. */
export async function insertGrafanaAlerts(
  db: Queryable,
  input: { alerts: GrafanaWebhookAlert[]; receivedAt: Date },
): Promise<number> {
  if (input.alerts.length === 0) return 0;
  const { alerts } = input;
  const result = await db.query(
    `insert into grafana_alerts (fingerprint, status, rule_uid, title, labels, annotations, value_string, starts_at,
                                 ends_at, generator_url, received_at)
     select a.fingerprint, a.status, a.rule_uid, a.title, a.labels, a.annotations, a.value_string, a.starts_at,
            a.ends_at, a.generator_url, $11
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[],
                   $8::timestamptz[], $9::timestamptz[], $10::text[])
         as a (fingerprint, status, rule_uid, title, labels, annotations, value_string, starts_at, ends_at,
               generator_url)
     on conflict (fingerprint, status, starts_at) do nothing`,
    [
      alerts.map((alert) => alert.fingerprint),
      alerts.map((alert) => alert.status),
      alerts.map((alert) => alert.labels.__alert_rule_uid__ ?? null),
      alerts.map((alert) => (alert.labels.alertname ?? "Grafana alert").slice(0, 500)),
      alerts.map((alert) => JSON.stringify(alert.labels)),
      alerts.map((alert) => JSON.stringify(alert.annotations)),
      alerts.map((alert) => alert.valueString ?? null),
      alerts.map((alert) => alert.startsAt),
      alerts.map((alert) => (alert.endsAt && alert.endsAt !== ZERO_TIME ? alert.endsAt : null)),
      alerts.map((alert) => alert.generatorURL ?? null),
      input.receivedAt,
    ],
  );
  return result.rowCount ?? 0;
}

/** The newest recorded alerts first. */
export async function listGrafanaAlerts(db: Queryable, limit: number): Promise<GrafanaAlert[]> {
  const result = await db.query<GrafanaAlert>(
    `select id::text as id, fingerprint, status, rule_uid as "ruleUid", title, labels, annotations,
            value_string as "valueString", starts_at as "startsAt", ends_at as "endsAt", received_at as "receivedAt"
       from grafana_alerts order by received_at desc, id desc limit $1`,
    [limit],
  );
  return result.rows;
}
