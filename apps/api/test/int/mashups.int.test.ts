import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { MashupAnswerSchema, MashupPageSchema, MashupSchema, ReadinessSchema } from "@status/shared";
import { sampleDataDir } from "@status/nodered";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheKeys } from "../../src/cache/keys.ts";
import { createNodeRedClient, type NodeRedClient } from "../../src/node-red/node-red-client.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";

interface PullRequest {
  id: string;
  team: string;
  mergedAt: string;
  openedAt: string;
  approvals: number;
}

/** The mashups of the run's real Node-RED: the example flows (real evidence from sample data) and the test flows. */
describe("mashups", () => {
  let app: TestApp;
  let user: TestUser;
  let developer: TestUser;
  let client: NodeRedClient;

  beforeAll(async () => {
    app = await startTestApp();
    [user, developer] = await Promise.all([signInAs(app, "USER"), signInAs(app, "DEVELOPER")]);
    client = app.deps.nodeRed;
  });
  afterAll(() => app?.close());

  function invoke(url: string, body: Record<string, unknown>) {
    return client.invokeMashup({
      path: url,
      body: { controlId: "c1", runId: "r1", params: {}, period: "MONTHLY", ...body },
      timeoutMs: 10_000,
    });
  }

  describe("GET /mashups", () => {
    it("lists the example and test flows with their URL, method, description and declared inputs; the list is cached", async () => {
      const response = await request(app, "GET", "/api/v1/mashups?pageSize=50", { token: user.token });

      expect(response.status).toBe(200);
      const page = MashupPageSchema.parse(response.body);
      expect(page.items.map((mashup) => mashup.url)).toEqual(
        expect.arrayContaining([
          "/pull-requests-reviewed",
          "/privileged-access-reviewed",
          "/nightly-backups-succeeded",
          "/test/pass",
          "/test/fail",
          "/test/slow",
          "/test/malformed",
          "/test/empty",
          "/test/bulk",
          "/test/echo",
        ]),
      );
      expect(page.total).toBe(page.items.length);
      expect(page.items.find((mashup) => mashup.id === "pull-requests-reviewed")).toEqual({
        id: "pull-requests-reviewed",
        name: "Pull requests are reviewed",
        description: expect.stringContaining("minApprovals"),
        url: "/pull-requests-reviewed",
        method: "POST",
        inputs: [{ name: "minApprovals", type: "number", default: 1 }],
        evidence: [
          { key: "*", label: "Approving reviews", unit: "approvals", rule: { op: ">=", param: "minApprovals" } },
        ],
        evidenceIssues: [],
      });
      expect(page.items.find((mashup) => mashup.id === "nightly-backups-succeeded")?.inputs).toEqual([
        { name: "acceptPartial", type: "boolean", default: false },
      ]);
      expect(JSON.parse((await app.deps.cache.get(cacheKeys.mashups())) ?? "[]")).toHaveLength(page.total);
    });

    it("pages the list", async () => {
      const response = await request(app, "GET", "/api/v1/mashups?page=2&pageSize=3", { token: user.token });

      expect(response.body).toMatchObject({ page: 2, pageSize: 3, total: 10 });
      expect(response.body.items).toHaveLength(3);
    });

    it("gets one mashup by its tab id, and answers 404 for an unknown id", async () => {
      const found = await request(app, "GET", "/api/v1/mashups/test-slow", { token: user.token });
      const missing = await request(app, "GET", "/api/v1/mashups/no-such-flow", { token: user.token });

      expect(MashupSchema.parse(found.body)).toMatchObject({
        id: "test-slow",
        url: "/test/slow",
        inputs: [{ name: "delayMs", type: "number", default: 1000 }],
      });
      expectProblem(missing, 404, "not_found");
    });

    it("answers 503 service_unavailable when Node-RED is down", async () => {
      const down = await startTestApp({
        nodeRed: createNodeRedClient({
          baseUrl: "http://127.0.0.1:9",
          httpRoot: "/api/v1",
          user: "status-service",
          password: "x",
        }),
      });
      try {
        const token = (await signInAs(down, "USER")).token;

        expectProblem(await request(down, "GET", "/api/v1/mashups", { token }), 503, "service_unavailable");
        expectProblem(
          await request(down, "GET", "/api/v1/mashups/pull-requests-reviewed", { token }),
          503,
          "service_unavailable",
        );
        const ready = await request(down, "GET", "/api/v1/health/ready");
        expect(ready.status).toBe(503);
        expect(ReadinessSchema.parse(ready.body).checks).toContainEqual(
          expect.objectContaining({ name: "node-red", status: "down" }),
        );
      } finally {
        await down.close();
      }
    });

    it("reports Node-RED up in /health/ready", async () => {
      const response = await request(app, "GET", "/api/v1/health/ready");

      expect(response.status).toBe(200);
      expect(ReadinessSchema.parse(response.body).checks).toContainEqual({
        name: "node-red",
        status: "up",
        latencyMs: expect.any(Number),
      });
    });
  });

  describe("GET /mashups/editor", () => {
    it("redirects a DEVELOPER to the editor on the flow, with a Node-RED token of the service account", async () => {
      const response = await request(app, "GET", "/api/v1/mashups/editor?flow=pull-requests-reviewed", {
        token: developer.token,
      });

      expect(response.status).toBe(302);
      const location = response.headers.get("location") ?? "";
      expect(location).toMatch(/^\/node-red\/\?access_token=[A-Za-z0-9+/=]{40,}#flow\/pull-requests-reviewed$/);
      const token = /access_token=([^#]+)/.exec(location)?.[1];
      const flows = await fetch(`${sharedNodeRed().baseUrl}/flows`, { headers: { authorization: `Bearer ${token}` } });
      expect(flows.status).toBe(200);
    });

    it("refuses a USER", async () => {
      expectProblem(await request(app, "GET", "/api/v1/mashups/editor", { token: user.token }), 403, "forbidden");
    });
  });

  describe("example mashups compute evidence from the sample data", () => {
    it("pull requests: one evidence per merged pull request of the team in the window", async () => {
      const window = { from: "2025-03-01T00:00:00.000Z", to: "2025-03-08T00:00:00.000Z" };
      const all = JSON.parse(await readFile(path.join(sampleDataDir, "pull-requests.json"), "utf8")) as PullRequest[];
      const expected = all.filter(
        (pr) => pr.team === "payments" && pr.mergedAt >= window.from && pr.mergedAt < window.to,
      );

      const response = await invoke("/pull-requests-reviewed", {
        ...window,
        scope: { team: "payments", repository: "*" },
        params: { minApprovals: 2 },
      });

      expect(response.status).toBe(200);
      const answer = MashupAnswerSchema.parse(response.body);
      expect(answer.evidences.map((evidence) => evidence.key).sort()).toEqual(expected.map((pr) => pr.id).sort());
      expect(answer.evidences).toContainEqual({
        key: "payouts#116",
        value: 1,
        result: false,
        from: "2025-02-28T10:00:00.000Z",
        to: "2025-03-01T11:00:00.000Z",
      });
      expect(answer.value).toBe(false);
    });

    it("pull requests: the flow's default (one approval) applies without params, and a repository narrows the scope", async () => {
      const response = await invoke("/pull-requests-reviewed", {
        from: "2025-03-01T00:00:00Z",
        to: "2025-03-08T00:00:00Z",
        scope: { team: "payments", repository: "payouts" },
      });

      const answer = MashupAnswerSchema.parse(response.body);
      expect(answer.evidences.map((evidence) => evidence.key)).toEqual(["payouts#116", "payouts#117"]);
      expect(answer).toMatchObject({
        value: true,
        evidences: [
          { key: "payouts#116", result: true },
          { key: "payouts#117", result: true },
        ],
      });
    });

    it("access reviews: an account last reviewed 101 days before the end of the window fails", async () => {
      const response = await invoke("/privileged-access-reviewed", {
        from: "2025-01-01T00:00:00Z",
        to: "2025-02-01T00:00:00Z",
        scope: { team: "payments" },
      });

      const answer = MashupAnswerSchema.parse(response.body);
      expect(answer.value).toBe(false);
      expect(answer.evidences).toContainEqual({
        key: "carla@github-org",
        value: 101,
        result: false,
        from: "2024-10-22T15:00:00.000Z",
        to: "2025-02-01T00:00:00.000Z",
      });
      expect(answer.evidences.every((evidence) => evidence.key.length > 0 && typeof evidence.value === "number")).toBe(
        true,
      );
    });

    it("backups: one evidence per environment and night; a failed run and a missing night fail", async () => {
      const failed = MashupAnswerSchema.parse(
        (
          await invoke("/nightly-backups-succeeded", {
            from: "2025-01-19T00:00:00Z",
            to: "2025-01-20T00:00:00Z",
            scope: { environment: "production" },
          })
        ).body,
      );
      const missing = MashupAnswerSchema.parse(
        (
          await invoke("/nightly-backups-succeeded", {
            from: "2025-09-18T00:00:00Z",
            to: "2025-09-19T00:00:00Z",
            scope: { environment: "*" },
          })
        ).body,
      );

      expect(failed).toEqual({
        value: false,
        evidences: [
          {
            key: "production-2025-01-19",
            value: "failed",
            result: false,
            from: "2025-01-19T02:01:03.000Z",
            to: "2025-01-19T02:43:03.000Z",
          },
        ],
      });
      expect(missing.evidences.map((evidence) => [evidence.key, evidence.value, evidence.result])).toEqual([
        ["production-2025-09-18", "missing", false],
        ["staging-2025-09-18", "success", true],
      ]);
    });

    it("answers 400 without a window", async () => {
      const response = await invoke("/nightly-backups-succeeded", { scope: {} });

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.stringContaining("from and to") });
    });
  });

  describe("test flows", () => {
    const window = { from: "2025-06-01T00:00:00.000Z", to: "2025-07-01T00:00:00.000Z", scope: { team: "payments" } };

    it("/test/pass, /test/fail and /test/empty answer in the computation format", async () => {
      const pass = MashupAnswerSchema.parse((await invoke("/test/pass", window)).body);
      const fail = MashupAnswerSchema.parse((await invoke("/test/fail", window)).body);
      const empty = MashupAnswerSchema.parse((await invoke("/test/empty", window)).body);

      expect(pass.value).toBe(true);
      expect(pass.evidences).toHaveLength(3);
      expect(pass.evidences[0]).toEqual({ key: "item-1", value: 1, result: true, from: window.from, to: window.to });
      expect(fail.value).toBe(false);
      expect(fail.evidences.map((evidence) => evidence.result)).toEqual([true, false, true]);
      expect(empty).toEqual({ value: true, evidences: [] });
    });

    it("/test/malformed answers 200 with something else, /test/echo returns the body it received", async () => {
      const malformed = await invoke("/test/malformed", window);
      const echo = await invoke("/test/echo", { ...window, params: { minApprovals: 2 } });

      expect(malformed).toEqual({ status: 200, body: { hello: "world" } });
      expect(echo.body).toEqual({
        value: true,
        evidences: [
          {
            key: "request",
            value: { controlId: "c1", runId: "r1", params: { minApprovals: 2 }, period: "MONTHLY", ...window },
            result: true,
          },
        ],
      });
    });

    it("/test/slow waits params.delayMs before answering", async () => {
      const started = performance.now();
      const response = await invoke("/test/slow", { ...window, params: { delayMs: 400 } });

      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      expect(response.body).toMatchObject({ value: true, evidences: [{ key: "slow", value: 400 }] });
    });

    it("/test/bulk answers 202 at once, then posts the computations to callbackUrl with the callback token", async () => {
      const received: { headers: IncomingMessage["headers"]; body: unknown }[] = [];
      const receiver: Server = createServer((req, res) => {
        let text = "";
        req.on("data", (chunk: Buffer) => (text += chunk.toString()));
        req.on("end", () => {
          received.push({ headers: req.headers, body: JSON.parse(text) });
          res.writeHead(201).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/computations/bulk`;
      try {
        const response = await invoke("/test/bulk", { ...window, callbackUrl, callbackToken: "run-token-1" });

        expect(response).toEqual({ status: 202, body: { accepted: true } });
        await expect.poll(() => received.length, { timeout: 5000 }).toBe(1);
        expect(received[0]?.headers["x-access-token"]).toBe("run-token-1");
        expect(received[0]?.body).toEqual({
          computations: [
            {
              value: true,
              scope: window.scope,
              evidences: [{ key: "bulk-1", value: 1, result: true, from: window.from, to: window.to }],
            },
            {
              value: false,
              scope: window.scope,
              evidences: [{ key: "bulk-2", value: 0, result: false, from: window.from, to: window.to }],
            },
          ],
          done: true,
        });
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  });

  describe("Node-RED's own authentication", () => {
    it("refuses a wrong service password on the mashup endpoints (HTTP-node basic auth)", async () => {
      const intruder = createNodeRedClient({ ...sharedNodeRed(), password: "not-the-password" });

      const response = await intruder.invokeMashup({ path: "/test/pass", body: {}, timeoutMs: 5000 });

      expect(response.status).toBe(401);
    });

    it("refuses anonymous calls to the admin API", async () => {
      const { baseUrl } = sharedNodeRed();

      const flows = await fetch(`${baseUrl}/flows`);
      const deploy = await fetch(`${baseUrl}/flows`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "[]",
      });

      expect(flows.status).toBe(401);
      expect(deploy.status).toBe(401);
    });
  });
});
