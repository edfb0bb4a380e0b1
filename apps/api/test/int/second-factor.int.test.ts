import { createHash, randomBytes } from "node:crypto";
import {
  RecoveryCodesSchema,
  SecondFactorChallengeSchema,
  SecondFactorStatusSchema,
  TotpEnrolmentSchema,
} from "@status/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "../../src/lib/secret-box.ts";
import { decodeBase32, totpCode } from "../../src/lib/totp.ts";
import { rotateEncryptionKey } from "../../src/modules/encryption/index.ts";
import { expectProblem, request, type TestResponse } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn, type BuiltUser } from "../user-factory.ts";

/** TOTP second factor: enrolment, sign-in in two steps, recovery codes, the ADMIN's policy and reset. */

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("two-factor sign-in", () => {
  let app: TestApp;
  let admin: { accessToken: string };
  beforeAll(async () => {
    app = await startTestApp({ env: { LOGIN_DISTRIBUTED_ADDRESSES: "5" } });
    admin = await logIn(app, await buildUser(app, { role: "ADMIN" }));
  });
  afterEach(async () => {
    app.setNow(undefined);
    await app.deps.db.query("delete from second_factor_policy");
  });
  afterAll(() => app?.close());

  function codeAt(secret: string, at: Date): string {
    return totpCode(decodeBase32(secret), Math.floor(at.getTime() / 1000));
  }

  /** Enrols a user through the API and answers the secret and the recovery codes; the clock is then a step later. */
  async function enrol(user: BuiltUser): Promise<{ secret: string; recoveryCodes: string[] }> {
    const session = await logIn(app, user);
    const enrolment = TotpEnrolmentSchema.parse(
      (await request(app, "POST", "/api/v1/auth/second-factor/totp", { token: session.accessToken })).body,
    );
    const confirm = await request(app, "POST", "/api/v1/auth/second-factor/totp/confirm", {
      token: session.accessToken,
      body: { code: codeAt(enrolment.secret, new Date()) },
    });
    expect(confirm.status).toBe(200);
    // The enrolment used this step's code; sign-ins in the test use later steps.
    app.setNow(new Date(Date.now() + 30_000));
    return { secret: enrolment.secret, recoveryCodes: RecoveryCodesSchema.parse(confirm.body).recoveryCodes };
  }

  function login(user: BuiltUser, ip = "198.51.100.20"): Promise<TestResponse> {
    return request(app, "POST", "/api/v1/auth/login", {
      body: { username: user.username, password: user.password },
      headers: { "x-forwarded-for": ip },
    });
  }

  function secondStep(pendingToken: string, code: string, ip = "198.51.100.20"): Promise<TestResponse> {
    return request(app, "POST", "/api/v1/auth/login/second-factor", {
      body: { pendingToken, code },
      headers: { "x-forwarded-for": ip },
    });
  }

  async function challenge(user: BuiltUser, ip?: string) {
    const response = await login(user, ip);
    expect(response.status).toBe(200);
    return SecondFactorChallengeSchema.parse(response.body).secondFactor;
  }

  it("enrols with a QR code and a confirming code; the secret is stored encrypted, ten recovery codes hashed", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);

    const started = await request(app, "POST", "/api/v1/auth/second-factor/totp", { token: session.accessToken });

    const enrolment = TotpEnrolmentSchema.parse(started.body);
    expect(started.headers.get("cache-control")).toBe("no-store");
    expect(enrolment.otpauthUri).toBe(
      `otpauth://totp/STATUS:${user.username}?secret=${enrolment.secret}&issuer=STATUS&algorithm=SHA1&digits=6&period=30`,
    );
    const svg = Buffer.from(enrolment.qrCodeDataUrl.split(",")[1]!, "base64").toString();
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [stored] = (
      await app.deps.db.query("select secret_encrypted, confirmed_at from user_totp where user_id = $1", [user.id])
    ).rows;
    expect(stored.confirmed_at).toBeNull();
    expect(stored.secret_encrypted).not.toContain(enrolment.secret);
    expect(decryptSecret(app.config.encryption.key, stored.secret_encrypted)).toBe(enrolment.secret);
    expectProblem(
      await request(app, "POST", "/api/v1/auth/second-factor/totp/confirm", {
        token: session.accessToken,
        body: { code: codeAt(enrolment.secret, new Date(Date.now() - 120_000)) },
      }),
      401,
      "second_factor_invalid",
    );

    const confirmed = await request(app, "POST", "/api/v1/auth/second-factor/totp/confirm", {
      token: session.accessToken,
      body: { code: codeAt(enrolment.secret, new Date()) },
    });

    const { recoveryCodes } = RecoveryCodesSchema.parse(confirmed.body);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const hashes = await app.deps.db.query("select code_hash from user_recovery_codes where user_id = $1", [user.id]);
    expect(hashes.rows.map((row) => row.code_hash).sort()).toEqual(
      recoveryCodes.map((code) => sha256(code.replace("-", ""))).sort(),
    );
    const status = await request(app, "GET", "/api/v1/auth/second-factor", { token: session.accessToken });
    expect(SecondFactorStatusSchema.parse(status.body)).toMatchObject({
      isEnabled: true,
      recoveryCodesLeft: 10,
      isRequiredByRole: false,
    });
    const audit = await app.deps.db.query(
      "select actor_id, after from audit_log where resource_id = $1 and action = 'update'",
      [user.id],
    );
    expect(audit.rows).toEqual([{ actor_id: user.id, after: { secondFactor: "totp_enabled" } }]);
  });

  it("asks for the code after the password, then starts a session that proved its second factor", async () => {
    const user = await buildUser(app);
    const { secret } = await enrol(user);

    const first = await login(user);

    expect(first.body.tokens).toBeUndefined();
    expect(first.body.user).toBeUndefined();
    const pending = SecondFactorChallengeSchema.parse(first.body).secondFactor;
    expect(pending.purpose).toBe("verify");
    const signedIn = await secondStep(pending.pendingToken, codeAt(secret, new Date(Date.now() + 30_000)));
    expect(signedIn.status).toBe(200);
    expect((await getMe(app, signedIn.body.tokens.accessToken)).status).toBe(200);
    const { rows } = await app.deps.db.query(
      "select second_factor_verified_at from sessions where user_id = $1 order by created_at desc limit 1",
      [user.id],
    );
    expect(rows[0].second_factor_verified_at).not.toBeNull();
    const stored = await app.deps.db.query("select used_at from pending_logins where token_hash = $1", [
      sha256(pending.pendingToken),
    ]);
    expect(stored.rows[0].used_at).not.toBeNull();
  });

  it("accepts a code once, one step back or ahead, and nothing further", async () => {
    const user = await buildUser(app);
    const { secret } = await enrol(user);
    const now = new Date(Date.now() + 60_000);
    app.setNow(now);
    const previous = codeAt(secret, new Date(now.getTime() - 30_000));

    expect((await secondStep((await challenge(user)).pendingToken, previous)).status).toBe(200);
    expectProblem(await secondStep((await challenge(user)).pendingToken, previous), 401, "second_factor_invalid");
    const tooOld = codeAt(secret, new Date(now.getTime() - 60_000));
    expectProblem(await secondStep((await challenge(user)).pendingToken, tooOld), 401, "second_factor_invalid");
    const ahead = codeAt(secret, new Date(now.getTime() + 30_000));
    expect((await secondStep((await challenge(user)).pendingToken, ahead)).status).toBe(200);
    // After a later step was accepted, the current step's code (not used yet) no longer passes either.
    const current = codeAt(secret, now);
    expectProblem(await secondStep((await challenge(user)).pendingToken, current), 401, "second_factor_invalid");
  });

  it("accepts each recovery code once", async () => {
    const user = await buildUser(app);
    const { recoveryCodes } = await enrol(user);
    const code = recoveryCodes[3]!;

    expect((await secondStep((await challenge(user)).pendingToken, code.toUpperCase())).status).toBe(200);
    expectProblem(await secondStep((await challenge(user)).pendingToken, code), 401, "second_factor_invalid");
    const { rows } = await app.deps.db.query(
      "select count(*)::int as left from user_recovery_codes where user_id = $1 and used_at is null",
      [user.id],
    );
    expect(rows[0].left).toBe(9);
  });

  it("makes the pending login single-use, short-lived and worn out by five wrong codes", async () => {
    const user = await buildUser(app);
    const { secret } = await enrol(user);
    const base = Date.now() + 30_000;
    const used = await challenge(user);
    expect((await secondStep(used.pendingToken, codeAt(secret, new Date(base)))).status).toBe(200);
    app.setNow(new Date(base + 30_000));
    expectProblem(
      await secondStep(used.pendingToken, codeAt(secret, new Date(base + 30_000))),
      401,
      "pending_login_invalid",
    );

    const expired = await challenge(user);
    app.setNow(new Date(base + 30_000 + 301_000));
    expectProblem(
      await secondStep(expired.pendingToken, codeAt(secret, new Date(base + 331_000))),
      401,
      "pending_login_invalid",
    );

    const guessed = await challenge(user, "192.0.2.50");
    for (let attempt = 0; attempt < 5; attempt += 1)
      expectProblem(await secondStep(guessed.pendingToken, "000000", "192.0.2.50"), 401, "second_factor_invalid");
    const right = codeAt(secret, new Date(base + 331_000));
    expectProblem(await secondStep(guessed.pendingToken, right, "192.0.2.50"), 401, "pending_login_invalid");
    const failures = await app.deps.db.query(
      "select count(*)::int as count from login_failures where username_key = $1 and ip_address = '192.0.2.50'",
      [user.username.toLowerCase()],
    );
    expect(failures.rows[0].count).toBe(5);
  });

  it("lets a correct password and second factor through a distributed lock from a clean address only", async () => {
    const target = await buildUser(app, { role: "ADMIN" });
    const { secret } = await enrol(target);
    for (let bot = 1; bot <= 5; bot += 1) await login({ ...target, password: "guess" }, `203.0.113.${bot}`);

    expectProblem(await login(target, "203.0.113.1"), 429, "account_locked");
    expectProblem(await login({ ...target, password: "still wrong" }, "198.51.100.77"), 401, "invalid_credentials");
    const pending = await challenge(target, "198.51.100.78");
    const signedIn = await secondStep(
      pending.pendingToken,
      codeAt(secret, new Date(Date.now() + 30_000)),
      "198.51.100.78",
    );

    expect(signedIn.status).toBe(200);
  });

  it("makes a user of a role that requires it enrol at sign-in, audited; recovery codes come with the session", async () => {
    const policy = await request(app, "PUT", "/api/v1/second-factor-policy", {
      token: admin.accessToken,
      body: { requiredFor: { DEVELOPER: true } },
    });
    expect(policy.body).toEqual({ requiredFor: { ADMIN: false, DEVELOPER: true, USER: false } });
    const developer = await buildUser(app, { role: "DEVELOPER" });
    const unaffected = await buildUser(app, { role: "USER" });

    const pending = await challenge(developer);
    expect(pending.purpose).toBe("enrol");
    expect((await login(unaffected)).body.tokens).toBeDefined();
    const enrolment = TotpEnrolmentSchema.parse(
      (
        await request(app, "POST", "/api/v1/auth/login/second-factor/enrolment", {
          body: { pendingToken: pending.pendingToken },
        })
      ).body,
    );
    const signedIn = await secondStep(pending.pendingToken, codeAt(enrolment.secret, new Date()));

    expect(signedIn.status).toBe(200);
    expect(RecoveryCodesSchema.parse(signedIn.body).recoveryCodes).toHaveLength(10);
    const disable = await request(app, "DELETE", "/api/v1/auth/second-factor/totp", {
      token: signedIn.body.tokens.accessToken,
      body: { code: RecoveryCodesSchema.parse(signedIn.body).recoveryCodes[0] },
    });
    expectProblem(disable, 409, "second_factor_required");
    const audit = await app.deps.db.query(
      "select before, after from audit_log where resource_type = 'second_factor_policy' order by at desc limit 1",
    );
    expect(audit.rows[0]).toEqual({
      before: { ADMIN: false, DEVELOPER: false, USER: false },
      after: { ADMIN: false, DEVELOPER: true, USER: false },
    });
  });

  it("lets the user turn it off with a code, and an ADMIN reset it (audited); sign-in then needs the password only", async () => {
    const user = await buildUser(app);
    const other = await buildUser(app);
    const { recoveryCodes } = await enrol(user);
    await enrol(other);
    const session = await logIn(app, { username: user.username, password: user.password }).catch(() => undefined);
    expect(session).toBeUndefined();

    const reset = await request(app, "DELETE", `/api/v1/users/${other.id}/second-factor`, { token: admin.accessToken });

    expect(reset.status).toBe(204);
    expect((await login(other)).body.tokens).toBeDefined();
    const audit = await app.deps.db.query(
      "select after from audit_log where resource_id = $1 and action = 'update' order by at desc limit 1",
      [other.id],
    );
    expect(audit.rows[0].after).toEqual({ secondFactor: "totp_reset_by_admin" });
    const signedIn = await secondStep((await challenge(user)).pendingToken, recoveryCodes[0]!);
    const disable = await request(app, "DELETE", "/api/v1/auth/second-factor/totp", {
      token: signedIn.body.tokens.accessToken,
      body: { code: recoveryCodes[1] },
    });
    expect(disable.status).toBe(204);
    expect((await login(user)).body.tokens).toBeDefined();
  });

  it("is covered by key rotation: the TOTP secret is re-encrypted under the new key", async () => {
    const user = await buildUser(app);
    const { secret } = await enrol(user);
    const newKey = randomBytes(32);

    const report = await rotateEncryptionKey(app.deps, { oldKey: app.config.encryption.key, newKey });

    expect(report.find((column) => column.name === "user_totp.secret_encrypted")?.reEncrypted).toBeGreaterThanOrEqual(
      1,
    );
    const { rows } = await app.deps.db.query("select secret_encrypted from user_totp where user_id = $1", [user.id]);
    expect(decryptSecret(newKey, rows[0].secret_encrypted)).toBe(secret);
  });
});
