import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, type TestResponse } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser } from "../user-factory.ts";

/**
 * The sign-in throttle: growing delays per username and client address, a per-address limit across usernames, and a
 * username-wide lock only when many addresses fail. The app trusts the loopback proxy (TRUST_PROXY's default), so a
 * test chooses its client address with X-Forwarded-For.
 */

const ATTACKER = "203.0.113.7";
const ADMIN_DESK = "198.51.100.20";

function loginFrom(app: TestApp, address: string, username: string, password: string): Promise<TestResponse> {
  return request(app, "POST", "/api/v1/auth/login", {
    body: { username, password },
    headers: { "x-forwarded-for": address },
  });
}

async function failureRows(app: TestApp, username: string) {
  const { rows } = await app.deps.db.query<{ ip_address: string }>(
    "select ip_address from login_failures where username_key = $1 order by id",
    [username.toLowerCase()],
  );
  return rows.map((row) => row.ip_address);
}

describe("sign-in throttle per username and address", () => {
  let app: TestApp;
  let clock: number;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        LOGIN_FREE_FAILURES: "2",
        LOGIN_MAX_FAILURES: "6",
        LOGIN_WINDOW_SECONDS: "600",
        LOGIN_MAX_PER_IP: "8",
        LOGIN_DISTRIBUTED_ADDRESSES: "5",
        LOGIN_DISTRIBUTED_WINDOW_SECONDS: "900",
      },
    });
  });
  afterEach(() => app.setNow(undefined));
  afterAll(() => app?.close());

  function advance(seconds: number): void {
    clock += seconds * 1000;
    app.setNow(new Date(clock));
  }

  it("lets the free failures pass, then makes each further attempt wait twice as long, up to the whole window", async () => {
    const user = await buildUser(app);
    clock = Date.now();
    app.setNow(new Date(clock));
    for (let attempt = 1; attempt <= 2; attempt += 1)
      expectProblem(await loginFrom(app, ATTACKER, user.username, "wrong"), 401, "invalid_credentials");
    expectProblem(await loginFrom(app, ATTACKER, user.username, "wrong"), 401, "invalid_credentials");

    const waits: string[] = [];
    for (let failures = 3; failures < 6; failures += 1) {
      const refused = expectProblem(await loginFrom(app, ATTACKER, user.username, user.password), 429, "rate_limited");
      expect(refused.detail).toMatch(/Try again in \d+ seconds/);
      const response = await loginFrom(app, ATTACKER, user.username, "wrong");
      waits.push(response.headers.get("retry-after") ?? "");
      advance(Number(waits.at(-1)));
      expectProblem(await loginFrom(app, ATTACKER, user.username, "wrong"), 401, "invalid_credentials");
    }

    expect(waits).toEqual(["1", "2", "4"]);
    const locked = await loginFrom(app, ATTACKER, user.username, user.password);
    expectProblem(locked, 429, "rate_limited");
    expect(locked.headers.get("retry-after")).toBe("600");
    expect(await failureRows(app, user.username)).toHaveLength(6);
  });

  it("keeps the right password working from another address while one address is throttled", async () => {
    const admin = await buildUser(app, { role: "ADMIN" });
    for (let attempt = 0; attempt < 20; attempt += 1) await loginFrom(app, ATTACKER, admin.username, "guess");
    expectProblem(await loginFrom(app, ATTACKER, admin.username, admin.password), 429, "rate_limited");

    const fromDesk = await loginFrom(app, ADMIN_DESK, admin.username, admin.password);

    expect(fromDesk.status).toBe(200);
    expect(fromDesk.body.user.username).toBe(admin.username);
  });

  it("forgets an address's failures for a username once it signs in", async () => {
    const user = await buildUser(app);
    await loginFrom(app, "192.0.2.31", user.username, "typo");
    await loginFrom(app, "192.0.2.31", user.username, "typo");

    expect((await loginFrom(app, "192.0.2.31", user.username, user.password)).status).toBe(200);

    expect(await failureRows(app, user.username)).toEqual([]);
  });

  it("limits failures from one address across usernames (password spraying), not other addresses", async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => buildUser(app)));
    for (const user of users) await loginFrom(app, "192.0.2.99", user.username, "Spring2026!");
    const victim = users[0]!;

    const sprayer = await loginFrom(app, "192.0.2.99", victim.username, victim.password);
    const elsewhere = await loginFrom(app, "192.0.2.100", victim.username, victim.password);

    expectProblem(sprayer, 429, "rate_limited");
    expect(elsewhere.status).toBe(200);
  });

  it("locks a username when five addresses failed for it, lifted when their failures leave the window", async () => {
    const user = await buildUser(app);
    const other = await buildUser(app);
    clock = Date.now();
    app.setNow(new Date(clock));
    for (let bot = 1; bot <= 5; bot += 1) await loginFrom(app, `203.0.113.${100 + bot}`, user.username, "guess");

    const botAgain = await loginFrom(app, "203.0.113.101", user.username, user.password);
    const cleanAddress = await loginFrom(app, ADMIN_DESK, user.username, user.password);

    expectProblem(botAgain, 429, "account_locked");
    // Without a second factor the account has nothing else to prove, so the lock holds for it too.
    const locked = expectProblem(cleanAddress, 429, "account_locked");
    expect(locked.detail).toMatch(/second factor/);
    expect(Number(cleanAddress.headers.get("retry-after"))).toBeGreaterThan(890);
    expect((await loginFrom(app, ADMIN_DESK, other.username, other.password)).status).toBe(200);
    advance(901);
    expect((await loginFrom(app, ADMIN_DESK, user.username, user.password)).status).toBe(200);
  });

  it("does not lock a username for failures from four addresses", async () => {
    const user = await buildUser(app);
    for (let bot = 1; bot <= 4; bot += 1) await loginFrom(app, `203.0.113.${150 + bot}`, user.username, "guess");

    expect((await loginFrom(app, ADMIN_DESK, user.username, user.password)).status).toBe(200);
  });
});

describe("sign-in throttle state", () => {
  let app: TestApp;
  let second: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp({ env: { LOGIN_FREE_FAILURES: "0", LOGIN_MAX_FAILURES: "1" } });
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  it("is kept in Postgres: another instance on the same database, with its own empty cache, throttles the same address", async () => {
    const user = await buildUser(app);
    expectProblem(await loginFrom(app, ATTACKER, user.username, "wrong"), 401, "invalid_credentials");
    second = await startTestApp({
      database: { url: app.environment.DATABASE_URL! },
      cache: "memory",
      env: { LOGIN_FREE_FAILURES: "0", LOGIN_MAX_FAILURES: "1" },
    });

    const elsewhere = await loginFrom(second, ATTACKER, user.username, user.password);

    expectProblem(elsewhere, 429, "rate_limited");
    expect((await loginFrom(second, ADMIN_DESK, user.username, user.password)).status).toBe(200);
  });
});
