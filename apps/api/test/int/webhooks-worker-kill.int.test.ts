import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../src/engine.ts";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/fake-webhook-receiver.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { appendTestPoint, eventually } from "../webhook-helpers.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * At-least-once: a worker process killed with kill -9 while its delivery is on the wire leaves the delivery leased;
 * when the lease runs out another worker sends it again, with the same webhook-id. Delivered once more, never lost.
 */
describe("a worker killed mid-delivery", () => {
  let app: TestApp;
  let developer: TestUser;
  let receiver: FakeWebhookReceiver;
  const env = {
    OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
    WEBHOOK_POLL_INTERVAL_MS: "50",
    WEBHOOK_LEASE_MS: "2000",
    WEBHOOK_TIMEOUT_MS: "60000",
  };

  beforeAll(async () => {
    // No engine in the test app: the child worker is the only one delivering until it dies.
    app = await startTestApp({ env });
    developer = await signInAs(app, "DEVELOPER");
    receiver = await startFakeWebhookReceiver(() => "hang");
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it("has its delivery sent again by another worker after the lease, with the same webhook-id", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const created = await request(app, "POST", "/api/v1/webhooks", {
      token: developer.token,
      body: { url: receiver.url, events: ["control.failing"], controlId: control.id },
    });
    expect(created.status).toBe(201);
    const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: apiDir,
      env: {
        ...process.env,
        ...app.environment,
        ...env,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        SCHEDULER_ENABLED: "false",
        // Runs are not part of this test: a Node-RED address that is never called.
        NODE_RED_URL: "http://127.0.0.1:9",
        NODE_RED_SERVICE_PASSWORD: "unused-in-this-test",
      },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    try {
      await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
      // The child has the delivery on the wire (the receiver holds the request): kill it there.
      await eventually(async () => (receiver.received.length === 1 ? true : undefined), 30_000);
      worker.kill("SIGKILL");
      await exited;
    } finally {
      if (worker.exitCode === null) worker.kill("SIGKILL");
    }
    const leased = await app.deps.db.query(
      "select status, attempt from webhook_deliveries where subscription_id = $1",
      [created.body.id],
    );
    expect(leased.rows).toEqual([{ status: "pending", attempt: 1 }]);

    receiver.setResponder(() => ({ status: 200, body: "thanks" }));
    const engine = startEngine(app.deps, { isWorker: true, isScheduler: false });
    try {
      const delivery = await eventually(async () => {
        const page = await request(app, "GET", `/api/v1/webhooks/${created.body.id}/deliveries`, {
          token: developer.token,
        });
        return page.body.items[0]?.status === "delivered" ? page.body.items[0] : undefined;
      }, 20_000);
      expect(delivery.attempt).toBe(2);
    } finally {
      await engine.stop();
    }
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  }, 90_000);
});
