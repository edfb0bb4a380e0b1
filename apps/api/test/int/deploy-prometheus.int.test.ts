import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompose, readRepoFile } from "../deploy-files.ts";
import { createEvaluableControl, startRuns, waitForRun } from "../engine/engine-helpers.ts";
import { request, signInAs } from "../http-client.ts";
import { freeLoopbackPort } from "../node-red-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

/**
 * prometheus/prometheus.yml and the "STATUS operations" dashboard for real: Debian's Prometheus (the compose files run
 * prom/prometheus; the configuration is the same file) scrapes the real API and a real worker process with
 * METRICS_TOKEN, and every query of the dashboard is evaluated by it. Rendering for loopback: the compose service
 * names become loopback addresses, the worker's DNS discovery (the service name resolves to every worker container)
 * becomes its one address, and the secret's path a file of the test.
 */

const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? "/usr/bin/prometheus";
const PROMTOOL_BINARY = process.env.PROMTOOL_BINARY ?? "/usr/bin/promtool";
const TOKEN = randomBytes(24).toString("hex");

interface DashboardTarget {
  refId: string;
  expr: string;
  datasource: { type: string; uid: string };
}
interface DashboardPanel {
  title: string;
  datasource: { type: string; uid: string };
  targets: DashboardTarget[];
}

function replaceExactly(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`prometheus/prometheus.yml no longer contains "${from}"`);
  return text.split(from).join(to);
}

async function renderConfig(dir: string, api: string, worker: string): Promise<string> {
  const tokenFile = path.join(dir, "metrics_token");
  await writeFile(tokenFile, TOKEN);
  let config = await readRepoFile("prometheus/prometheus.yml");
  config = replaceExactly(config, "/run/secrets/metrics_token", tokenFile);
  config = replaceExactly(config, '"status-backend:3001"', `"${api}"`);
  config = replaceExactly(
    config,
    `    dns_sd_configs:
      - names: ["worker"]
        type: A
        port: 9464
        refresh_interval: 30s`,
    `    static_configs:
      - targets: ["${worker}"]`,
  );
  config = replaceExactly(config, "scrape_interval: 15s", "scrape_interval: 1s");
  config = replaceExactly(config, "scrape_timeout: 10s", "scrape_timeout: 1s");
  const file = path.join(dir, "prometheus.yml");
  await writeFile(file, config);
  return file;
}

async function query(prometheusUrl: string, expr: string): Promise<{ status: string; data: { result: unknown[] } }> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  return (await response.json()) as { status: string; data: { result: unknown[] } };
}

describe("prometheus/prometheus.yml and the STATUS operations dashboard, with Debian's Prometheus", () => {
  let app: TestApp;
  let worker: ChildProcess;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let workDir: string;
  let configFile: string;
  let panels: DashboardPanel[];
  let prometheusLog = "";

  beforeAll(async () => {
    for (const binary of [PROMETHEUS_BINARY, PROMTOOL_BINARY])
      if (!existsSync(binary))
        throw new Error(`${binary} is missing (apt-get install prometheus; npm test's set-up does as root)`);
    workDir = await mkdtemp(path.join(os.tmpdir(), "status-prometheus-"));
    app = await startTestApp({
      queue: "bullmq",
      engine: { isWorker: false, isScheduler: false },
      env: { METRICS_TOKEN: TOKEN },
    });
    const workerPort = await freeLoopbackPort();
    const nodeRed = sharedNodeRed();
    worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: {
        ...process.env,
        ...app.environment,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        SCHEDULER_ENABLED: "false",
        NODE_RED_URL: nodeRed.baseUrl,
        NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
        NODE_RED_SERVICE_USER: nodeRed.user,
        NODE_RED_SERVICE_PASSWORD: nodeRed.password,
        METRICS_TOKEN: TOKEN,
        METRICS_PORT: String(workerPort),
      },
      stdio: "ignore",
    });
    configFile = await renderConfig(workDir, new URL(app.baseUrl).host, `127.0.0.1:${workerPort}`);
    const prometheusPort = await freeLoopbackPort();
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    prometheus = spawn(
      PROMETHEUS_BINARY,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(workDir, "data")}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        "--log.level=error",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    prometheus.stderr!.on("data", (chunk: Buffer) => (prometheusLog += chunk.toString()));
    const dashboard = JSON.parse(await readRepoFile("grafana/operations/status-operations.json")) as {
      panels: DashboardPanel[];
    };
    panels = dashboard.panels;

    // Activity for the series: a run worked by the worker, requests to the API.
    const developer = await signInAs(app, "DEVELOPER");
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const run = (await startRuns(app, developer.token, control.id)).runs[0]!;
    await waitForRun(app, developer.token, run.id, (candidate) => candidate.status === "succeeded", 30_000);
    await request(app, "GET", `/api/v1/controls/${control.id}/points/verify`, { token: developer.token });

    // Both targets up, and the run's series and the API's last request scraped (a scrape a second, so a few seconds
    // at most). The two targets are scraped on their own clocks: the worker's series being there says nothing of the
    // API's.
    const lastRequest =
      'status_http_request_duration_seconds_count{job="status-api",route="/api/v1/controls/:id/points/verify"}';
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await query(prometheusUrl, 'sum(up{job=~"status-api|status-worker"})').catch(() => undefined);
      // rate() needs two scrapes of a series.
      const runs = await query(prometheusUrl, "sum(rate(status_runs_total[5m]))").catch(() => undefined);
      const requests = await query(prometheusUrl, `sum(rate(${lastRequest}[5m]))`).catch(() => undefined);
      const isUp = (up?.data.result[0] as { value?: [number, string] } | undefined)?.value?.[1] === "2";
      if (isUp && (runs?.data.result.length ?? 0) > 0 && (requests?.data.result.length ?? 0) > 0) break;
      if (Date.now() > deadline || prometheus.exitCode !== null)
        throw new Error(`Prometheus did not scrape both targets: ${JSON.stringify(up)}\n${prometheusLog}`);
      await sleep(250);
    }
  }, 120_000);

  afterAll(async () => {
    prometheus?.kill("SIGKILL");
    worker?.kill("SIGKILL");
    await app?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("is a configuration promtool accepts", async () => {
    const { stdout } = await promisify(execFile)(PROMTOOL_BINARY, ["check", "config", configFile]);
    expect(stdout).toContain("SUCCESS");
  });

  it("scrapes the API and the worker with the token, both up", async () => {
    const targets = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    const byJob = Object.fromEntries(
      targets.data.activeTargets.map((target) => [target.labels.job, `${target.health} ${target.lastError}`.trim()]),
    );
    expect(byJob).toMatchObject({ "status-api": "up", "status-worker": "up" });
  });

  it("answers every query of the STATUS operations dashboard, with data for what this run exercised", async () => {
    const results = new Map<string, number>();
    for (const panel of panels) {
      for (const target of panel.targets) {
        const answer = await query(prometheusUrl, target.expr);
        expect({ panel: panel.title, status: answer.status }).toEqual({ panel: panel.title, status: "success" });
        results.set(`${panel.title} ${target.refId}`, answer.data.result.length);
      }
    }
    for (const key of [
      "Requests per second by route A",
      "Runs ended by trigger and status A",
      "Run queue A",
      "Run queue B",
      "Node-RED call latency (p95) A",
      "Guarantee points written A",
      "Chain verifications A",
      "Database pool A",
      "Database pool B",
      "Event-loop lag (p99) A",
      "Processes scraped A",
    ])
      expect({ key, series: (results.get(key) ?? 0) > 0 }).toEqual({ key, series: true });
  });

  it("is provisioned in Grafana on the Prometheus datasource, from where the compose files mount it", async () => {
    const datasources = parse(await readRepoFile("grafana/provisioning/datasources/prometheus.yaml"));
    const providers = parse(await readRepoFile("grafana/provisioning/dashboards/operations.yaml"));
    const dashboard = JSON.parse(await readRepoFile("grafana/operations/status-operations.json"));

    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: "status-prometheus", type: "prometheus", url: "http://prometheus:9090" }),
    ]);
    expect(dashboard).toMatchObject({ uid: "status-operations", title: "STATUS operations" });
    for (const panel of panels) {
      expect({ panel: panel.title, uid: panel.datasource.uid }).toEqual({
        panel: panel.title,
        uid: "status-prometheus",
      });
      for (const target of panel.targets) expect(target.datasource.uid).toBe("status-prometheus");
    }
    const mountPath = providers.providers[0].options.path;
    for (const file of ["docker-compose.dev.yml", "docker-compose.prod.yml"]) {
      const { document } = await readCompose(file);
      expect(document.services.grafana!.volumes).toContain(`./grafana/operations:${mountPath}:ro`);
      expect(document.services.prometheus!.volumes).toContain(
        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
      );
    }
  });
});
