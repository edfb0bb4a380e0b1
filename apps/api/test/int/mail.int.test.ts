import { randomUUID } from "node:crypto";
import { NotificationPreferencesSchema, type StatusCloudEvent } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { dispatchPendingEvents } from "../../src/modules/events/index.ts";
import { deliverEvent, flushDigests, mailChannel } from "../../src/modules/mail/index.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, TEST_PASSWORD } from "../http-client.ts";
import { reserveSmtpPort, startFakeSmtp, type FakeSmtp } from "../fakes/fake-smtp.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { logIn } from "../user-factory.ts";

/**
 * E-mail notifications against a real SMTP server on loopback: who receives what (per-user preferences), what a mail
 * says, digests, and mail that survives an SMTP outage.
 */

const T = new Date("2026-12-06T10:15:00Z");

interface Subscriber {
  id: string;
  email: string;
  token: string;
}

describe("e-mail notifications", () => {
  let app: TestApp;
  let smtp: FakeSmtp;
  let smtpPort: number;
  let developerToken: string;

  beforeAll(async () => {
    smtpPort = await reserveSmtpPort();
    smtp = await startFakeSmtp(smtpPort);
    app = await startTestApp({
      env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SMTP_FROM: "STATUS alerts <alerts@status.test>" },
    });
    developerToken = (await signInAs(app, "DEVELOPER")).token;
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  async function subscriber(withEmail = true): Promise<Subscriber> {
    const username = `mail-${uniqueSuffix()}`;
    const email = `${username}@example.org`;
    const user = await createUser(app.deps, null, {
      username,
      password: TEST_PASSWORD,
      role: "USER",
      ...(withEmail ? { email } : {}),
    });
    const { accessToken } = await logIn(app, { username, password: TEST_PASSWORD });
    return { id: user.id, email, token: accessToken };
  }

  async function subscribe(user: Subscriber, preferences: Record<string, unknown>) {
    const response = await request(app, "PUT", "/api/v1/me/notification-preferences", {
      token: user.token,
      body: preferences,
    });
    expect(response.status, response.text).toBe(200);
    return NotificationPreferencesSchema.parse(response.body);
  }

  async function catalogWithControl() {
    const catalog = await createCatalogVia(app, developerToken);
    const control = await createControlVia(app, developerToken, catalog.id);
    return { catalog, control };
  }

  function failingEvent(
    target: { catalog: { id: string; name: string }; control: { id: string; name: string } },
    overrides: Partial<StatusCloudEvent["data"]> = {},
  ): StatusCloudEvent {
    return {
      specversion: "1.0",
      id: randomUUID(),
      source: "/api/v1",
      type: "control.failing",
      time: T.toISOString(),
      subject: `/api/v1/controls/${target.control.id}`,
      datacontenttype: "application/json",
      data: {
        catalog: { id: target.catalog.id, name: target.catalog.name },
        control: { id: target.control.id, name: target.control.name },
        scope: { team: "payments" },
        window: { from: "2026-12-05T00:00:00Z", to: "2026-12-06T00:00:00Z" },
        previousState: "passing",
        newState: "failing",
        compliance: 66.6667,
        threshold: 80,
        computationUrl: "/api/v1/computations/7d7c1f0e-4b9e-4f3c-9a44-0c3f3a1b2c3d",
        evidenceUrl: "/api/v1/computations/7d7c1f0e-4b9e-4f3c-9a44-0c3f3a1b2c3d/evidences",
        ...overrides,
      },
    };
  }

  function mailsTo(email: string) {
    return smtp.received.filter((message) => message.to.includes(email));
  }

  async function queueRows(userId: string) {
    const { rows } = await app.deps.db.query<{
      event_id: string;
      sent_at: string | null;
      attempts: number;
      due_at: string;
      last_error: string | null;
    }>("select event_id, sent_at, attempts, due_at, last_error from mail_queue where user_id = $1 order by id", [
      userId,
    ]);
    return rows;
  }

  it("sends an immediate mail with the control, scope, window, result, evidence summary and a link", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const user = await subscriber();
    await subscribe(user, {
      eventTypes: ["control.failing", "control.recovered"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "immediate",
    });
    const event = failingEvent(target);

    const outcome = await deliverEvent(app.deps, event);

    expect(outcome).toEqual({ queued: 1, sent: 1, failed: 0 });
    const [message] = mailsTo(user.email);
    expect(message!.from).toBe("alerts@status.test");
    const { mail } = message!;
    expect(mail.subject).toBe(`[STATUS] ${target.control.name} (${target.catalog.name}) is failing`);
    expect(mail.from?.text).toBe('"STATUS alerts" <alerts@status.test>');
    const text = mail.text ?? "";
    expect(text).toContain(`Control: ${target.control.name}`);
    expect(text).toContain(`Catalog: ${target.catalog.name}`);
    expect(text).toContain("Scope: team=payments");
    expect(text).toContain("Window: 2026-12-05 00:00 UTC – 2026-12-06 00:00 UTC");
    expect(text).toContain("Result: passing → failing");
    expect(text).toContain("Evidence: compliance 66.7 %, threshold 80 %");
    const page = `${app.config.publicUrl}/catalogs/${target.catalog.id}/controls/${target.control.id}`;
    expect(text).toContain(`Open in STATUS: ${page}`);
    expect(text).toContain(`Evidence: ${app.config.publicUrl}${event.data.evidenceUrl}`);
    expect(mail.html).toContain(`<a href="${page}">Open in STATUS</a>`);
    expect(mail.html).toContain("passing → failing");
    const [row] = await queueRows(user.id);
    expect(row).toMatchObject({ event_id: event.id, attempts: 1, last_error: null });
    expect(row!.sent_at).not.toBeNull();
  });

  it("sends an event handed over twice once (at-least-once dispatch)", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const user = await subscriber();
    await subscribe(user, {
      eventTypes: ["control.failing"],
      scope: "selected",
      controlIds: [target.control.id],
      delivery: "immediate",
    });
    const event = failingEvent(target);

    await deliverEvent(app.deps, event);
    const again = await deliverEvent(app.deps, event);

    expect(again).toEqual({ queued: 0, sent: 0, failed: 0 });
    expect(mailsTo(user.email)).toHaveLength(1);
  });

  it("escapes names in the HTML part", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const user = await subscriber();
    await subscribe(user, {
      eventTypes: ["control.failing"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "immediate",
    });
    const hostile = { ...target, control: { id: target.control.id, name: "<script>alert(1)</script>" } };

    await deliverEvent(app.deps, failingEvent(hostile));

    const [message] = mailsTo(user.email);
    expect(message!.mail.html).not.toContain("<script>");
    expect(message!.mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("batches three events into one hourly digest, sent when the hour is over", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const other = await createControlVia(app, developerToken, target.catalog.id);
    const user = await subscriber();
    await subscribe(user, {
      eventTypes: ["control.failing", "control.recovered"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "hourly",
    });
    const events = [
      failingEvent(target),
      failingEvent({ catalog: target.catalog, control: other }, { scope: {} }),
      {
        ...failingEvent(target, { previousState: "failing", newState: "passing", compliance: 100 }),
        type: "control.recovered",
      },
    ];

    for (const event of events) expect(await deliverEvent(app.deps, event)).toEqual({ queued: 1, sent: 0, failed: 0 });
    expect(await flushDigests(app.deps, new Date("2026-12-06T10:59:59Z"))).toMatchObject({ sent: 0 });
    expect(mailsTo(user.email)).toHaveLength(0);
    await flushDigests(app.deps, new Date("2026-12-06T11:00:00Z"));

    const messages = mailsTo(user.email);
    expect(messages).toHaveLength(1);
    const text = messages[0]!.mail.text ?? "";
    expect(messages[0]!.mail.subject).toBe("[STATUS] 3 control changes");
    expect(text).toContain("3 changes since the last digest");
    expect(text).toContain(`${target.control.name} (${target.catalog.name}) is failing`);
    expect(text).toContain(`${other.name} (${target.catalog.name}) is failing`);
    expect(text).toContain("Scope: whole control");
    expect(text).toContain(`${target.control.name} (${target.catalog.name}) recovered`);
    expect(text).toContain("Result: failing → passing");
    const rows = await queueRows(user.id);
    expect(rows.map((row) => row.event_id)).toEqual(events.map((event) => event.id));
    expect(rows.every((row) => row.sent_at !== null)).toBe(true);
    // A later flush sends nothing again.
    await flushDigests(app.deps, new Date("2026-12-06T12:00:00Z"));
    expect(mailsTo(user.email)).toHaveLength(1);
  });

  it("sends nothing to users without a preference, with other event types, or following other catalogs", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const elsewhere = await catalogWithControl();
    const withoutPreference = await subscriber();
    const otherTypes = await subscriber();
    await subscribe(otherTypes, {
      eventTypes: ["control.recovered"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "immediate",
    });
    const otherCatalog = await subscriber();
    await subscribe(otherCatalog, {
      eventTypes: ["control.failing"],
      scope: "selected",
      catalogIds: [elsewhere.catalog.id],
      delivery: "immediate",
    });
    const noEmail = await subscriber(false);
    await subscribe(noEmail, {
      eventTypes: ["control.failing"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "immediate",
    });

    const outcome = await deliverEvent(app.deps, failingEvent(target));

    expect(outcome).toEqual({ queued: 0, sent: 0, failed: 0 });
    for (const user of [withoutPreference, otherTypes, otherCatalog]) expect(mailsTo(user.email)).toEqual([]);
    for (const user of [withoutPreference, otherTypes, otherCatalog, noEmail])
      expect(await queueRows(user.id)).toEqual([]);
  });

  it("passes owners and watchers in through the lookup for the owned_or_watched scope", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const watcher = await subscriber();
    const bystander = await subscriber();
    for (const user of [watcher, bystander])
      await subscribe(user, { eventTypes: ["control.failing"], scope: "owned_or_watched", delivery: "immediate" });

    const outcome = await deliverEvent(app.deps, failingEvent(target), {
      controlFollowers: (controlId) => Promise.resolve(controlId === target.control.id ? [watcher.id] : []),
    });

    expect(outcome).toEqual({ queued: 1, sent: 1, failed: 0 });
    expect(mailsTo(watcher.email)).toHaveLength(1);
    expect(mailsTo(bystander.email)).toHaveLength(0);
  });

  it("mails a control's watcher when the alert dispatcher takes a control.failing event from the outbox", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const watcher = await subscriber();
    await subscribe(watcher, { eventTypes: ["control.failing"], scope: "owned_or_watched", delivery: "immediate" });
    const watched = await request(app, "POST", `/api/v1/controls/${target.control.id}/watchers`, {
      token: watcher.token,
      body: { userId: watcher.id },
    });
    expect(watched.status, watched.text).toBeLessThan(300);
    // The change as the point's transaction writes it, once per window held: only the first is mailed.
    for (const held of [1, 2])
      await app.deps.db.query(
        `insert into event_outbox (type, catalog_id, control_id, scope, window_start, window_end, previous_state,
           new_state, compliance, threshold, held_windows)
         values ('control.failing', $1, $2, '{"team":"payments"}', '2026-12-05T00:00:00Z', '2026-12-06T00:00:00Z',
           'passing', 'failing', 50, 80, $3)`,
        [target.catalog.id, target.control.id, held],
      );

    while ((await dispatchPendingEvents(app.deps, [mailChannel(app.deps)])) > 0);
    await flushDigests(app.deps, T);

    const mails = mailsTo(watcher.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.mail.text).toContain(target.control.name);
  });

  it("mails an owner or watcher who never saved preferences (the defaults), and nobody else", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const watcher = await subscriber();
    const stranger = await subscriber();

    const outcome = await deliverEvent(app.deps, failingEvent(target), {
      controlFollowers: (controlId) => Promise.resolve(controlId === target.control.id ? [watcher.id] : []),
    });

    expect(outcome).toEqual({ queued: 1, sent: 1, failed: 0 });
    expect(mailsTo(watcher.email)).toHaveLength(1);
    expect(mailsTo(stranger.email)).toHaveLength(0);
  });

  it("keeps mail the SMTP server could not take and sends it once the server is back", async () => {
    app.setNow(T);
    const target = await catalogWithControl();
    const user = await subscriber();
    await subscribe(user, {
      eventTypes: ["control.failing"],
      scope: "selected",
      catalogIds: [target.catalog.id],
      delivery: "immediate",
    });
    await smtp.close();
    const event = failingEvent(target);

    try {
      expect(await deliverEvent(app.deps, event)).toEqual({ queued: 1, sent: 0, failed: 1 });
      const [postponed] = await queueRows(user.id);
      expect(postponed).toMatchObject({ event_id: event.id, sent_at: null, attempts: 1 });
      expect(postponed!.last_error).toBeTruthy();
      expect(new Date(postponed!.due_at).getTime()).toBe(T.getTime() + 60_000);
      // Still down at the next try: the wait doubles.
      expect(await flushDigests(app.deps, new Date(T.getTime() + 60_000))).toEqual({ sent: 0, failed: 1 });
      expect(new Date((await queueRows(user.id))[0]!.due_at).getTime()).toBe(T.getTime() + 3 * 60_000);
    } finally {
      smtp = await startFakeSmtp(smtpPort);
    }

    expect(await flushDigests(app.deps, new Date(T.getTime() + 2 * 60_000))).toMatchObject({ sent: 0 });
    expect(await flushDigests(app.deps, new Date(T.getTime() + 3 * 60_000))).toMatchObject({ sent: 1 });
    const messages = mailsTo(user.email);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.mail.text).toContain("Result: passing → failing");
    expect((await queueRows(user.id))[0]!.sent_at).not.toBeNull();
  });
});

describe("notification preferences", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SMTP_URL: "smtp://127.0.0.1:1" } });
  });
  afterAll(() => app?.close());

  it("answers defaults before anything is saved, and whether e-mail is enabled", async () => {
    const user = await signInAs(app, "USER");

    const response = await request(app, "GET", "/api/v1/me/notification-preferences", { token: user.token });

    expect(response.status).toBe(200);
    expect(NotificationPreferencesSchema.parse(response.body)).toEqual({
      eventTypes: ["control.failing", "control.recovered", "control.stale", "control.fresh", "run.error"],
      scope: "owned_or_watched",
      catalogIds: [],
      controlIds: [],
      delivery: "immediate",
      email: null,
      isEmailEnabled: true,
      updatedAt: null,
    });
  });

  it("stores the caller's own preferences, dropping selections a non-selected scope does not use", async () => {
    const user = await signInAs(app, "USER");
    const other = await signInAs(app, "USER");
    const catalog = await createCatalogVia(app, (await signInAs(app, "DEVELOPER")).token);

    const saved = await request(app, "PUT", "/api/v1/me/notification-preferences", {
      token: user.token,
      body: { eventTypes: ["run.error"], scope: "all", catalogIds: [catalog.id], delivery: "daily" },
    });
    const mine = await request(app, "GET", "/api/v1/me/notification-preferences", { token: user.token });
    const theirs = await request(app, "GET", "/api/v1/me/notification-preferences", { token: other.token });

    expect(saved.status).toBe(200);
    expect(mine.body).toMatchObject({ eventTypes: ["run.error"], scope: "all", catalogIds: [], delivery: "daily" });
    expect(mine.body.updatedAt).not.toBeNull();
    expect(theirs.body).toMatchObject({ scope: "owned_or_watched", updatedAt: null });
    const { rows } = await app.deps.db.query("select delivery from notification_preferences where user_id = $1", [
      user.id,
    ]);
    expect(rows).toEqual([{ delivery: "daily" }]);
  });

  it("refuses unknown event types, unknown catalogs and an empty selection with every issue listed", async () => {
    const user = await signInAs(app, "USER");
    const put = (body: unknown) =>
      request(app, "PUT", "/api/v1/me/notification-preferences", { token: user.token, body });

    const badTypes = expectProblem(
      await put({ eventTypes: ["control.exploded"], scope: "selected", delivery: "weekly" }),
      400,
      "validation_failed",
    );
    const unknownIds = expectProblem(
      await put({
        eventTypes: ["control.failing"],
        scope: "selected",
        catalogIds: [randomUUID()],
        controlIds: [randomUUID()],
        delivery: "hourly",
      }),
      400,
      "validation_failed",
    );

    const emptySelection = expectProblem(
      await put({ eventTypes: ["control.failing"], scope: "selected", delivery: "hourly" }),
      400,
      "validation_failed",
    );

    expect(badTypes.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
      "body.delivery",
      "body.eventTypes.0",
    ]);
    expect(emptySelection.errors.map((issue: { path: string }) => issue.path)).toEqual(["body.catalogIds"]);
    expect(unknownIds.errors.map((issue: { path: string }) => issue.path)).toEqual([
      "body.catalogIds.0",
      "body.controlIds.0",
    ]);
  });

  it("needs a signed-in caller", async () => {
    expectProblem(await request(app, "GET", "/api/v1/me/notification-preferences"), 401, "unauthenticated");
  });

  it("turns mail off without SMTP_URL", () => {
    expect(loadConfig({ NODE_ENV: "test" }).mail).toEqual({ isEnabled: false });
    expect(loadConfig({ NODE_ENV: "test", SMTP_URL: "smtp://mail.example.org:587" }).mail).toMatchObject({
      isEnabled: true,
      from: "STATUS <status@localhost>",
    });
    expect(() => loadConfig({ NODE_ENV: "test", SMTP_URL: "http://mail.example.org" })).toThrow(/SMTP_URL/);
  });
});
