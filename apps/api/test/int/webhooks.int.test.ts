import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusCloudEventSchema } from "@status/shared";
import { checkOutboundUrl, createOutboundClient, OutboundUrlRefusedError } from "../../src/lib/outbound-url.ts";
import { sweepAlertStates } from "../../src/modules/events/index.ts";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/fake-webhook-receiver.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { appendTestPoint, eventually } from "../webhook-helpers.ts";

/**
 * Verifies a Standard Webhooks signature the way a receiver would, written here from the specification (not with
 * the code under test): base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the secret's bytes.
 */
function verifySignature(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const id = String(headers["webhook-id"]);
  const timestamp = String(headers["webhook-timestamp"]);
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return String(headers["webhook-signature"])
    .split(" ")
    .some((candidate) => candidate === `v1,${expected}`);
}

describe("signed webhooks", () => {
  let app: TestApp;
  let developer: TestUser;
  let otherDeveloper: TestUser;
  let admin: TestUser;
  let user: TestUser;
  let receiver: FakeWebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: {
        OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
        WEBHOOK_POLL_INTERVAL_MS: "50",
        WEBHOOK_RETRY_BASE_MS: "50",
        WEBHOOK_RETRY_MAX_AGE_MS: "1500",
        WEBHOOK_TIMEOUT_MS: "2000",
      },
    });
    receiver = await startFakeWebhookReceiver();
    developer = await signInAs(app, "DEVELOPER");
    otherDeveloper = await signInAs(app, "DEVELOPER");
    admin = await signInAs(app, "ADMIN");
    user = await signInAs(app, "USER");
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  async function subscribe(body: Record<string, unknown>, token = developer.token) {
    const response = await request(app, "POST", "/api/v1/webhooks", { token, body: { url: receiver.url, ...body } });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string };
  }

  const receivedFor = (subscriptionId: string) =>
    receiver.received.filter((entry) => String(entry.headers["webhook-id"]).endsWith(`_${subscriptionId.slice(0, 8)}`));

  it("posts a CloudEvent signed with the secret shown once, verified by an independent implementation", async () => {
    const { catalog, control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const webhook = await subscribe({ events: ["control.failing", "control.recovered"], catalogId: catalog.id });
    expect(webhook.secret).toMatch(/^whsec_/);
    const stored = await app.deps.db.query("select secret_encrypted from webhook_subscriptions where id = $1", [
      webhook.id,
    ]);
    expect(stored.rows[0].secret_encrypted).not.toContain(webhook.secret.slice(6));
    expect((await request(app, "GET", `/api/v1/webhooks/${webhook.id}`, { token: developer.token })).body.secret).toBe(
      undefined,
    );

    await appendTestPoint(app, control, "pass", "2026-11-01T00:00:00Z");
    const pointId = await appendTestPoint(app, control, "fail", "2026-11-02T00:00:00Z");
    const [delivered] = await eventually(async () => {
      const got = receivedFor(webhook.id);
      return got.length > 0 ? got : undefined;
    });

    expect(delivered!.headers["content-type"]).toBe("application/cloudevents+json");
    expect(verifySignature(webhook.secret, delivered!.headers, delivered!.body)).toBe(true);
    expect(verifySignature("whsec_" + Buffer.alloc(24).toString("base64"), delivered!.headers, delivered!.body)).toBe(
      false,
    );
    const event = StatusCloudEventSchema.parse(JSON.parse(delivered!.body));
    expect(event).toMatchObject({ specversion: "1.0", type: "control.failing", subject: control.id });
    expect(event.data).toMatchObject({
      catalog: { id: catalog.id },
      control: { id: control.id },
      previousState: "passing",
      newState: "failing",
      window: { from: "2026-11-02T00:00:00.000Z", to: "2026-11-03T00:00:00.000Z" },
    });
    const outbox = await app.deps.db.query("select type, point_id from event_outbox where control_id = $1", [
      control.id,
    ]);
    expect(outbox.rows).toEqual([{ type: "control.failing", point_id: pointId }]);

    // Recovery follows; a second failing window in a row is no change.
    await appendTestPoint(app, control, "pass", "2026-11-03T00:00:00Z");
    await eventually(async () => (receivedFor(webhook.id).length === 2 ? true : undefined));
    expect(JSON.parse(receivedFor(webhook.id)[1]!.body).type).toBe("control.recovered");

    const deliveries = await request(app, "GET", `/api/v1/webhooks/${webhook.id}/deliveries`, {
      token: developer.token,
    });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items[0]).toMatchObject({ status: "delivered", attempt: 1, lastStatusCode: 200 });
    expect(deliveries.body.items[0].lastDurationMs).toBeGreaterThanOrEqual(0);
    expect(deliveries.body.items[0].lastResponseExcerpt).toBe("ok");
  });

  it("writes no event for a point whose transaction rolled back", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z", { rollback: true });
    const rows = await app.deps.db.query("select count(*)::int as n from event_outbox where control_id = $1", [
      control.id,
    ]);
    const points = await app.deps.db.query("select count(*)::int as n from points where control_id = $1", [control.id]);
    expect(rows.rows[0].n).toBe(0);
    expect(points.rows[0].n).toBe(0);
    // The same point committed does write its event.
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
    const after = await app.deps.db.query("select count(*)::int as n from event_outbox where control_id = $1", [
      control.id,
    ]);
    expect(after.rows[0].n).toBe(1);
  });

  it("holds a change back until the new state held for the subscription's windows (flapping guard)", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const steady = await subscribe({ events: ["control.failing"], controlId: control.id, holdWindows: 2 });
    await appendTestPoint(app, control, "pass", "2026-11-01T00:00:00Z");
    await appendTestPoint(app, control, "fail", "2026-11-02T00:00:00Z");
    await appendTestPoint(app, control, "pass", "2026-11-03T00:00:00Z");
    await appendTestPoint(app, control, "fail", "2026-11-04T00:00:00Z");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receivedFor(steady.id)).toHaveLength(0);
    await appendTestPoint(app, control, "fail", "2026-11-05T00:00:00Z");
    await eventually(async () => (receivedFor(steady.id).length === 1 ? true : undefined));
    const event = JSON.parse(receivedFor(steady.id)[0]!.body);
    expect(event.data.window.from).toBe("2026-11-05T00:00:00.000Z");
    await appendTestPoint(app, control, "fail", "2026-11-06T00:00:00Z");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receivedFor(steady.id)).toHaveLength(1);
  });

  it("retries with backoff, then dead-letters the delivery and flags the subscription", async () => {
    const failing = await startFakeWebhookReceiver(() => ({ status: 500, body: "down" }));
    try {
      const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
      const webhook = await subscribe({ url: failing.url, events: ["control.failing"], controlId: control.id });
      await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
      const dead = await eventually(async () => {
        const page = await request(app, "GET", `/api/v1/webhooks/${webhook.id}/deliveries`, { token: developer.token });
        return page.body.items[0]?.status === "dead" ? page.body.items[0] : undefined;
      }, 15_000);
      expect(dead.attempt).toBeGreaterThan(2);
      expect(dead).toMatchObject({ lastStatusCode: 500, lastResponseExcerpt: "down" });
      // Every attempt carried the same webhook-id.
      expect(new Set(failing.received.map((entry) => entry.headers["webhook-id"])).size).toBe(1);
      expect(failing.received.length).toBe(dead.attempt);
      const subscription = await request(app, "GET", `/api/v1/webhooks/${webhook.id}`, { token: developer.token });
      expect(subscription.body.flaggedAt).not.toBeNull();
      expect(subscription.body.isEnabled).toBe(true);

      // Replay sends it again with the same id; the receiver is back.
      failing.setResponder(() => ({ status: 204 }));
      const replay = await request(app, "POST", `/api/v1/webhooks/${webhook.id}/deliveries/${dead.id}/replay`, {
        token: developer.token,
      });
      expect(replay.status).toBe(202);
      await eventually(async () => {
        const page = await request(app, "GET", `/api/v1/webhooks/${webhook.id}/deliveries`, { token: developer.token });
        return page.body.items[0]?.status === "delivered" ? true : undefined;
      });
      expect(new Set(failing.received.map((entry) => entry.headers["webhook-id"])).size).toBe(1);
    } finally {
      await failing.close();
    }
  }, 30_000);

  it("disables a subscription whose receiver answers 410 Gone", async () => {
    const gone = await startFakeWebhookReceiver(() => ({ status: 410 }));
    try {
      const webhook = await subscribe({ url: gone.url, events: ["control.failing"] });
      const test = await request(app, "POST", `/api/v1/webhooks/${webhook.id}/test`, { token: developer.token });
      expect(test.status).toBe(202);
      const disabled = await eventually(async () => {
        const got = await request(app, "GET", `/api/v1/webhooks/${webhook.id}`, { token: developer.token });
        return got.body.isEnabled === false ? got.body : undefined;
      });
      expect(disabled.disabledReason).toBe("gone");
      expect(gone.received).toHaveLength(1);
    } finally {
      await gone.close();
    }
  });

  it("signs with the new and the previous secret for 24 hours after a rotation", async () => {
    const webhook = await subscribe({ events: ["control.failing"] });
    const rotated = await request(app, "POST", `/api/v1/webhooks/${webhook.id}/rotate-secret`, {
      token: developer.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(webhook.secret);
    await request(app, "POST", `/api/v1/webhooks/${webhook.id}/test`, { token: developer.token });
    const [entry] = await eventually(async () => {
      const got = receivedFor(webhook.id);
      return got.length > 0 ? got : undefined;
    });
    expect(String(entry!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifySignature(rotated.body.secret, entry!.headers, entry!.body)).toBe(true);
    expect(verifySignature(webhook.secret, entry!.headers, entry!.body)).toBe(true);
  });

  it("shapes Slack and Teams bodies and still sends the signature headers", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const slack = await subscribe({ events: ["control.failing"], controlId: control.id, format: "slack" });
    const teams = await subscribe({ events: ["control.failing"], controlId: control.id, format: "teams" });
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
    const slackBody = await eventually(async () => receivedFor(slack.id)[0]);
    const teamsBody = await eventually(async () => receivedFor(teams.id)[0]);
    expect(JSON.parse(slackBody.body)).toMatchObject({
      text: expect.stringContaining("is failing"),
      blocks: expect.any(Array),
    });
    expect(JSON.parse(teamsBody.body).attachments[0].content.type).toBe("AdaptiveCard");
    expect(verifySignature(slack.secret, slackBody.headers, slackBody.body)).toBe(true);
  });

  it("lets DEVELOPER manage only their own subscriptions, ADMIN all, and USER none", async () => {
    const mine = await subscribe({ events: ["control.failing"] });
    expectProblem(
      await request(app, "GET", `/api/v1/webhooks/${mine.id}`, { token: otherDeveloper.token }),
      404,
      "not_found",
    );
    expectProblem(
      await request(app, "PATCH", `/api/v1/webhooks/${mine.id}`, {
        token: otherDeveloper.token,
        body: { holdWindows: 2 },
      }),
      404,
      "not_found",
    );
    expectProblem(await request(app, "GET", "/api/v1/webhooks", { token: user.token }), 403, "forbidden");
    const own = await request(app, "GET", "/api/v1/webhooks", { token: otherDeveloper.token });
    expect(own.body.items.map((item: { id: string }) => item.id)).not.toContain(mine.id);
    const all = await request(app, "GET", "/api/v1/webhooks?pageSize=100", { token: admin.token });
    expect(all.body.items.map((item: { id: string }) => item.id)).toContain(mine.id);
    const patched = await request(app, "PATCH", `/api/v1/webhooks/${mine.id}`, {
      token: admin.token,
      body: { isEnabled: false },
    });
    expect(patched.body).toMatchObject({ isEnabled: false, disabledReason: "manual" });

    // Delete archives: gone from the list, the log still readable, and its row kept.
    expect((await request(app, "DELETE", `/api/v1/webhooks/${mine.id}`, { token: developer.token })).status).toBe(204);
    const list = await request(app, "GET", "/api/v1/webhooks", { token: developer.token });
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(mine.id);
    expect(
      (await request(app, "GET", `/api/v1/webhooks/${mine.id}/deliveries`, { token: developer.token })).status,
    ).toBe(200);
  });

  it("refuses URLs to metadata, link-local and private addresses, and names that resolve to loopback", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/hook",
      "http://10.1.2.3/hook",
      "http://192.168.0.10/hook",
      "ftp://127.0.0.1/hook",
      "http://metadata.google.internal/computeMetadata/v1",
    ]) {
      const response = await request(app, "POST", "/api/v1/webhooks", {
        token: developer.token,
        body: { url, events: ["control.failing"] },
      });
      expect([400, 422], url).toContain(response.status);
    }
    expectProblem(
      await request(app, "POST", "/api/v1/webhooks", {
        token: developer.token,
        body: { url: "http://169.254.169.254/", events: ["control.failing"] },
      }),
      422,
      "url_not_allowed",
    );
    // Without the allow-list, a DNS name resolving to loopback is refused at validation and at connect time.
    expect(await checkOutboundUrl(`http://localhost:${receiver.port}/hook`, [])).toMatch(/loopback/);
    const strict = createOutboundClient([]);
    try {
      await expect(strict.post(`http://localhost:${receiver.port}/hook`, {}, "{}", 2000)).rejects.toBeInstanceOf(
        OutboundUrlRefusedError,
      );
      await expect(strict.post("http://169.254.169.254/", {}, "{}", 2000)).rejects.toBeInstanceOf(
        OutboundUrlRefusedError,
      );
    } finally {
      strict.close();
    }
    // Even allow-listed, metadata stays refused.
    expect(await checkOutboundUrl("http://169.254.169.254/", ["169.254.0.0/16"])).toMatch(/metadata/);
  });

  it("does not follow a redirect", async () => {
    const target = await startFakeWebhookReceiver();
    const redirecting = await startFakeWebhookReceiver(() => ({ status: 302, headers: { location: target.url } }));
    try {
      const webhook = await subscribe({ url: redirecting.url, events: ["control.failing"] });
      await request(app, "POST", `/api/v1/webhooks/${webhook.id}/test`, { token: developer.token });
      const delivery = await eventually(async () => {
        const page = await request(app, "GET", `/api/v1/webhooks/${webhook.id}/deliveries`, { token: developer.token });
        return page.body.items[0]?.lastStatusCode === 302 ? page.body.items[0] : undefined;
      });
      expect(delivery.status).not.toBe("delivered");
      expect(target.received).toHaveLength(0);
    } finally {
      await redirecting.close();
      await target.close();
    }
  });

  it("refuses an AI server URL in the AI settings that points at cloud metadata", async () => {
    expectProblem(
      await request(app, "PATCH", "/api/v1/ai/settings", {
        token: admin.token,
        body: { baseUrl: "http://169.254.169.254/v1" },
      }),
      422,
      "url_not_allowed",
    );
  });

  it("answers the recent events to any signed-in user, and sweeps stale controls once per transition", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
    const events = await request(app, "GET", "/api/v1/events?since=2020-01-01T00:00:00Z&limit=200", {
      token: user.token,
    });
    expect(events.status).toBe(200);
    expect(events.body.items.some((item: { subject?: string }) => item.subject === control.id)).toBe(true);

    app.setNow(new Date("2030-01-01T00:00:00Z"));
    try {
      await sweepAlertStates(app.deps);
      await sweepAlertStates(app.deps);
      const stale = await app.deps.db.query(
        "select type, previous_state, new_state from event_outbox where control_id = $1 and type like 'control.%' order by seq",
        [control.id],
      );
      expect(stale.rows.filter((row) => row.type === "control.stale")).toEqual([
        { type: "control.stale", previous_state: "failing", new_state: "stale" },
      ]);
      await appendTestPoint(app, control, "pass", "2029-12-31T00:00:00Z");
      await sweepAlertStates(app.deps);
      const fresh = await app.deps.db.query(
        "select type from event_outbox where control_id = $1 and type = 'control.fresh'",
        [control.id],
      );
      expect(fresh.rows).toHaveLength(1);
    } finally {
      app.setNow(undefined);
    }
  });
});
