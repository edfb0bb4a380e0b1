import pg from "pg";
import { parse } from "yaml";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompose, readRepoFile } from "../deploy-files.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { reportingDatabase } from "../reporting-database.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * grafana/provisioning/alerting/ against the shapes Grafana's file provisioning accepts (a zod schema of them,
 * written from Grafana's documented format), its rules' SQL run as the read-only grafana role on a database the API
 * computed real points into, and the route its contact point posts to.
 */

const ALERTING_FILE = "grafana/provisioning/alerting/status-alerts.yaml";
const RANGE = { from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" };

const DurationSchema = z.string().regex(/^\d+[smhd]$/, "a duration such as 5m");
const RelativeTimeRangeSchema = z.strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) });

/** A query of a rule: a datasource query, or a server-side expression (`__expr__`). */
const RuleQuerySchema = z.strictObject({
  refId: z.string().regex(/^[A-Z]$/),
  relativeTimeRange: RelativeTimeRangeSchema,
  datasourceUid: z.string().min(1),
  model: z.looseObject({ refId: z.string() }),
});

const RuleSchema = z.strictObject({
  uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  title: z.string().min(1).max(190),
  condition: z.string().min(1),
  data: z.array(RuleQuerySchema).min(1),
  noDataState: z.enum(["Alerting", "NoData", "OK", "KeepLast"]),
  execErrState: z.enum(["Alerting", "Error", "OK", "KeepLast"]),
  for: DurationSchema,
  isPaused: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  notification_settings: z.strictObject({ receiver: z.string().min(1) }).optional(),
});

const GroupSchema = z.strictObject({
  orgId: z.number().int().positive(),
  name: z.string().min(1),
  folder: z.string().min(1),
  interval: DurationSchema,
  rules: z.array(RuleSchema).min(1),
});

const ContactPointSchema = z.strictObject({
  orgId: z.number().int().positive(),
  name: z.string().min(1),
  receivers: z
    .array(
      z.strictObject({
        uid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
        type: z.string().min(1),
        disableResolveMessage: z.boolean().optional(),
        settings: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
});

const AlertingFileSchema = z.strictObject({
  apiVersion: z.literal(1),
  groups: z.array(GroupSchema).optional(),
  contactPoints: z.array(ContactPointSchema).optional(),
});
type AlertingFile = z.infer<typeof AlertingFileSchema>;
type Rule = z.infer<typeof RuleSchema>;

async function readAlerting(): Promise<AlertingFile> {
  return AlertingFileSchema.parse(parse(await readRepoFile(ALERTING_FILE)));
}

function rulesOf(file: AlertingFile): Rule[] {
  return (file.groups ?? []).flatMap((group) => group.rules);
}

function ruleByUid(file: AlertingFile, uid: string): Rule {
  const rule = rulesOf(file).find((candidate) => candidate.uid === uid);
  if (!rule) throw new Error(`no rule ${uid}`);
  return rule;
}

/** The SQL query of a rule (its refId A on the STATUS datasource). */
function sqlOf(rule: Rule): string {
  const query = rule.data.find((entry) => entry.datasourceUid === "status-postgres");
  const sql = query?.model.rawSql;
  if (typeof sql !== "string") throw new Error(`rule ${rule.uid} has no SQL query`);
  return sql;
}

/** The condition's threshold as Grafana's threshold expression evaluates it. */
function firesAt(rule: Rule): (value: number) => boolean {
  const condition = rule.data.find((entry) => entry.refId === rule.condition)!;
  const [first] = condition.model.conditions as { evaluator: { type: string; params: number[] } }[];
  const { type, params } = first!.evaluator;
  if (type === "lt") return (value) => value < params[0]!;
  if (type === "gt") return (value) => value > params[0]!;
  throw new Error(`evaluator ${type} not handled by the test`);
}

function expandMacros(sql: string): string {
  return sql.replace(
    /\$__timeFilter\(([^)]+)\)/g,
    (_all, column: string) => `${column.trim()} between '${RANGE.from}'::timestamptz and '${RANGE.to}'::timestamptz`,
  );
}

describe("Grafana alerting provisioning", () => {
  it("has the shapes Grafana's file provisioning accepts: rule groups and a contact point", async () => {
    const file = await readAlerting();

    expect(rulesOf(file).map((rule) => rule.uid)).toEqual([
      "status-catalog-compliance-below",
      "status-control-failing-windows",
    ]);
    for (const rule of rulesOf(file)) {
      const refIds = rule.data.map((entry) => entry.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      expect(refIds).toContain(rule.condition);
      for (const entry of rule.data) expect(entry.model.refId).toBe(entry.refId);
      // Expressions read earlier queries only.
      for (const entry of rule.data.filter((query) => query.datasourceUid === "__expr__"))
        expect(refIds).toContain(entry.model.expression);
      expect(sqlOf(rule).trim().toLowerCase()).toMatch(/^(select|with) /);
      expect(rule.notification_settings?.receiver).toBe("STATUS");
    }
  });

  it("posts every alert to STATUS's route with the token from Grafana's environment", async () => {
    const file = await readAlerting();
    const [contactPoint] = file.contactPoints ?? [];

    expect(contactPoint?.name).toBe("STATUS");
    expect(contactPoint?.receivers).toEqual([
      {
        uid: "status-webhook",
        type: "webhook",
        disableResolveMessage: false,
        settings: {
          url: "http://status-backend:3001/api/v1/integrations/grafana/alerts",
          httpMethod: "POST",
          authorization_scheme: "Bearer",
          authorization_credentials: "${GRAFANA_ALERT_WEBHOOK_TOKEN}",
        },
      },
    ]);
    // Both compose files mount the provisioning directory and give Grafana and the API the same token.
    for (const name of ["docker-compose.dev.yml", "docker-compose.prod.yml"]) {
      const { document } = await readCompose(name);
      expect(document.services.grafana!.volumes).toContain("./grafana/provisioning:/etc/grafana/provisioning:ro");
      const text = await readRepoFile(name);
      const tokens = [...text.matchAll(/GRAFANA_ALERT_WEBHOOK_TOKEN: (.+)/g)].map((match) => match[1]);
      expect(tokens).toHaveLength(2);
      expect(new Set(tokens).size).toBe(1);
    }
  });
});

describe("the alert rules' SQL as the grafana role on a migrated database", () => {
  const database = reportingDatabase("alerting");
  let grafana: pg.Client;
  let app: TestApp;
  const targets: Record<"passing" | "failing", { catalogId: string; controlId: string }> = {} as never;

  beforeAll(async () => {
    await database.runInitSql();
    await database.migrate();
    // Real points, computed by the API through the run's Node-RED: test-fail answers 2 of 3 evidences passing
    // (66.7 %), so under a threshold of 80 each of its three daily windows fails.
    app = await startTestApp({
      env: { DATABASE_URL: database.appUrl },
      engine: { isWorker: true, isScheduler: false },
    });
    const developer = await signInAs(app, "DEVELOPER");
    const window = { from: "2025-03-01T00:00:00Z", to: "2025-03-04T00:00:00Z" };
    for (const [key, mashupId] of [
      ["passing", "test-pass"],
      ["failing", "test-fail"],
    ] as const) {
      const { catalog, control } = await createEvaluableControl(app, developer.token, { mashupId, threshold: 80 });
      targets[key] = { catalogId: catalog.id, controlId: control.id };
      await waitForBatch(app, developer.token, (await startRuns(app, developer.token, control.id, window)).batch.id);
    }
    grafana = new pg.Client({ connectionString: database.grafanaUrl });
    await grafana.connect();
  }, 120_000);

  afterAll(async () => {
    await grafana?.end();
    await app?.close();
    await database.drop();
  });

  it("runs every rule's query as the grafana role, reading only reporting views", async () => {
    for (const rule of rulesOf(await readAlerting())) {
      const sql = expandMacros(sqlOf(rule));
      expect({ rule: rule.uid, unexpanded: sql.match(/\$\w+/g) ?? [] }).toEqual({ rule: rule.uid, unexpanded: [] });
      const relations = [...sql.matchAll(/\b(?:from|join)\s+([A-Za-z_][\w.]*)/gi)].map((match) => match[1]!);
      const outside = relations.filter(
        (name) => !name.startsWith("reporting.") && !["windows", "streaks"].includes(name),
      );
      expect({ rule: rule.uid, outside }).toEqual({ rule: rule.uid, outside: [] });
      await grafana.query(sql).catch((error: Error) => {
        throw new Error(`${rule.uid}: ${error.message}`);
      });
    }
  });

  it("fires the compliance rule for the failing catalog only", async () => {
    const rule = ruleByUid(await readAlerting(), "status-catalog-compliance-below");
    const { rows } = await grafana.query<{ catalog_id: string; catalog: string; compliance: number }>(
      expandMacros(sqlOf(rule)),
    );
    const byCatalog = new Map(rows.map((row) => [row.catalog_id, row.compliance]));

    expect(byCatalog.get(targets.failing.catalogId)).toBe(0);
    expect(byCatalog.get(targets.passing.catalogId)).toBe(100);
    const fires = firesAt(rule);
    expect(rows.filter((row) => fires(row.compliance)).map((row) => row.catalog_id)).toEqual([
      targets.failing.catalogId,
    ]);
  });

  it("fires the failing-windows rule for the control whose last three windows failed", async () => {
    const rule = ruleByUid(await readAlerting(), "status-control-failing-windows");
    const { rows } = await grafana.query<{ control_id: string; scope: string; failing_windows: number }>(
      expandMacros(sqlOf(rule)),
    );

    expect(rows).toEqual([
      expect.objectContaining({ control_id: targets.failing.controlId, scope: "{}", failing_windows: 3 }),
    ]);
    expect(firesAt(rule)(rows[0]!.failing_windows)).toBe(true);
    expect(firesAt(rule)(2)).toBe(false);
  });
});

describe("POST /integrations/grafana/alerts", () => {
  const TOKEN = "grafana-alerts-test-token-0123456789";
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { GRAFANA_ALERT_WEBHOOK_TOKEN: TOKEN } });
  });
  afterAll(() => app?.close());

  function notification(status: "firing" | "resolved", fingerprint: string) {
    return {
      receiver: "STATUS",
      status,
      orgId: 1,
      alerts: [
        {
          status,
          labels: {
            alertname: "Control failing for 3 windows",
            __alert_rule_uid__: "status-control-failing-windows",
            catalog: "Payments",
            control: "Backups run",
            scope: "{}",
          },
          annotations: { summary: "Backups run (Payments, scope {}) failed its last 3 windows" },
          startsAt: "2026-12-06T10:00:00Z",
          endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2026-12-06T11:00:00Z",
          generatorURL: "http://localhost:3000/grafana/alerting/grafana/status-control-failing-windows/view",
          fingerprint,
          silenceURL: "http://localhost:3000/grafana/alerting/silence/new",
          values: { B: 3, C: 1 },
          valueString: "[ var='B' labels={control=Backups run} value=3 ]",
        },
      ],
      groupLabels: { alertname: "Control failing for 3 windows" },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: "http://localhost:3000/grafana/",
      version: "1",
      groupKey: '{}:{alertname="Control failing for 3 windows"}',
      truncatedAlerts: 0,
      title: "[FIRING:1] Control failing for 3 windows",
      state: "alerting",
      message: "…",
    };
  }

  it("records each alert once, firing and resolved, and lists them for developers", async () => {
    const fingerprint = `fp-${uniqueSuffix()}`;
    const headers = { authorization: `Bearer ${TOKEN}` };

    const first = await request(app, "POST", "/api/v1/integrations/grafana/alerts", {
      headers,
      body: notification("firing", fingerprint),
    });
    const repeated = await request(app, "POST", "/api/v1/integrations/grafana/alerts", {
      headers,
      body: notification("firing", fingerprint),
    });
    const resolved = await request(app, "POST", "/api/v1/integrations/grafana/alerts", {
      headers,
      body: notification("resolved", fingerprint),
    });

    expect([first.status, first.body]).toEqual([202, { received: 1, recorded: 1 }]);
    expect(repeated.body).toEqual({ received: 1, recorded: 0 });
    expect(resolved.body).toEqual({ received: 1, recorded: 1 });
    const developer = await signInAs(app, "DEVELOPER");
    const list = await request(app, "GET", "/api/v1/integrations/grafana/alerts?limit=10", { token: developer.token });
    const mine = list.body.items.filter((item: { fingerprint: string }) => item.fingerprint === fingerprint);
    expect(mine.map((item: { status: string }) => item.status)).toEqual(["resolved", "firing"]);
    expect(mine[1]).toMatchObject({
      ruleUid: "status-control-failing-windows",
      title: "Control failing for 3 windows",
      labels: { control: "Backups run" },
      endsAt: null,
    });
    expect(mine[0].endsAt).toBe("2026-12-06T11:00:00.000Z");
  });

  it("refuses a missing or wrong token before reading the body, and a bad body with every issue", async () => {
    const fingerprint = `fp-${uniqueSuffix()}`;
    expectProblem(
      await request(app, "POST", "/api/v1/integrations/grafana/alerts", { body: notification("firing", fingerprint) }),
      401,
      "token_invalid",
    );
    expectProblem(
      await request(app, "POST", "/api/v1/integrations/grafana/alerts", {
        headers: { authorization: "Bearer not-the-token" },
        body: { nonsense: true },
      }),
      401,
      "token_invalid",
    );
    const invalid = expectProblem(
      await request(app, "POST", "/api/v1/integrations/grafana/alerts", {
        headers: { authorization: `Bearer ${TOKEN}` },
        body: { status: "pending", alerts: [{ status: "firing" }] },
      }),
      400,
      "validation_failed",
    );
    expect(invalid.errors.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(["body.status", "body.alerts.0.labels", "body.alerts.0.fingerprint"]),
    );
    const { rows } = await app.deps.db.query("select count(*)::int as n from grafana_alerts where fingerprint = $1", [
      fingerprint,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it("is off without GRAFANA_ALERT_WEBHOOK_TOKEN", async () => {
    const bare = await startTestApp();
    try {
      expectProblem(
        await request(bare, "POST", "/api/v1/integrations/grafana/alerts", {
          headers: { authorization: `Bearer ${TOKEN}` },
          body: notification("firing", "fp"),
        }),
        404,
        "grafana_alerts_not_configured",
      );
    } finally {
      await bare.close();
    }
  });
});
