import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AUTH_COOKIES } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { browserRequest, CookieJar } from "../cookie-jar.ts";
import { createEvaluableControl, startRuns } from "../engine/engine-helpers.ts";
import { signInAs, TEST_PASSWORD, type TestUser } from "../http-client.ts";
import { startNginx, type RunningNginx } from "../nginx-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser } from "../user-factory.ts";

/**
 * nginx/ for real: Debian's nginx runs the repository's configuration (rendered with loopback upstreams, see
 * nginx-harness.ts) in front of the real API (with its engine and the run's real Node-RED behind the API's editor
 * proxy), the SPA built by Vite and served by nginx/web.conf, and a loopback stand-in for Grafana that echoes what
 * it receives. The Grafana sign-in subrequest goes through a recording hop to the API's real
 * `GET /api/v1/auth/grafana/verify`.
 */

const WEB_ROOT = path.resolve(import.meta.dirname, "../../../web");

interface SeenByGrafana {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

interface SeenByAuth {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

/** Grafana's stand-in: answers every request with what it received, and echoes WebSocket messages (Grafana Live). */
async function startGrafanaStandIn(
  seen: SeenByGrafana[],
): Promise<{ server: Server; address: string; upgrades: IncomingHttpHeaders[] }> {
  const upgrades: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    let bodyBytes = 0;
    req.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url, bodyBytes }));
    });
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    upgrades.push(req.headers);
    sockets.handleUpgrade(req, socket, head, (client) =>
      client.on("message", (data) => client.send(`echo:${(data as Buffer).toString()}`)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}`, upgrades };
}

/**
 * A recording hop in front of the real `GET /api/v1/auth/grafana/verify`: it forwards nginx's auth subrequest to the
 * API as it came and answers with the API's status and X-WEBAUTH-* headers, so the tests see what nginx asks.
 */
async function startAuthRecorder(api: TestApp, seen: SeenByAuth[]): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    let bodyBytes = 0;
    req.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on("end", () => void answer());
    async function answer() {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes });
      const forwarded = Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === "string" && !["host", "content-length", "connection"].includes(entry[0]),
        ),
      );
      const reply = await fetch(`${api.baseUrl}${req.url}`, { method: req.method, headers: forwarded });
      const identity = Object.fromEntries([...reply.headers].filter(([name]) => name.startsWith("x-webauth-")));
      res.writeHead(reply.status, identity).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Signs in through nginx the way the SPA does (cookie session at /api/v1/auth/login) and returns the browser's jar. */
async function browserSignedInAs(
  proxy: { baseUrl: string },
  app: TestApp,
  role: "USER" | "DEVELOPER" | "ADMIN",
): Promise<{ jar: CookieJar; username: string }> {
  const user = await buildUser(app, { role });
  const jar = new CookieJar();
  const login = await browserRequest(proxy as TestApp, jar, "POST", "/api/v1/auth/login", {
    body: { username: user.username, password: user.password, session: "cookie" },
  });
  if (login.status !== 200) throw new Error(`login through nginx failed: ${login.status} ${login.text}`);
  return { jar, username: user.username };
}

function openSocket(url: string, headers: Record<string, string>): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve({ socket }));
    socket.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    socket.once("error", reject);
  });
}

describe("the nginx reverse proxy (nginx/) in front of the API, the built SPA, Node-RED and Grafana", () => {
  let app: TestApp;
  let nginx: RunningNginx;
  let webRoot: string;
  let grafana: Awaited<ReturnType<typeof startGrafanaStandIn>>;
  let auth: Awaited<ReturnType<typeof startAuthRecorder>>;
  const seenByGrafana: SeenByGrafana[] = [];
  const seenByAuth: SeenByAuth[] = [];
  let proxy: { baseUrl: string };
  let hashedScript: string;

  beforeAll(async () => {
    webRoot = await mkdtemp(path.join(os.tmpdir(), "status-deploy-web-"));
    const building = promisify(execFile)(
      path.join(WEB_ROOT, "node_modules/.bin/vite"),
      ["build", "--outDir", webRoot, "--emptyOutDir", "--logLevel", "error"],
      { cwd: WEB_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false }, env: { TRUST_PROXY: "1" } });
    grafana = await startGrafanaStandIn(seenByGrafana);
    auth = await startAuthRecorder(app, seenByAuth);
    await building;
    await chmod(webRoot, 0o755);
    hashedScript = (await readdir(path.join(webRoot, "assets"))).find((name) =>
      /^index-[A-Za-z0-9_-]{8}\.js$/.test(name),
    )!;
    const apiAddress = new URL(app.baseUrl).host;
    nginx = await startNginx({
      webRoot,
      upstreams: { "status-backend:3001": apiAddress, "grafana:3000": grafana.address },
      replacements: [
        [
          "proxy_pass http://status_backend/api/v1/auth/grafana/verify;",
          `proxy_pass http://${auth.address}/api/v1/auth/grafana/verify;`,
        ],
      ],
    });
    proxy = { baseUrl: nginx.baseUrl };
  }, 240_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([closeServer(grafana?.server), closeServer(auth?.server)]);
    await app?.close();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  it("answers its own health check", async () => {
    const response = await fetch(`${nginx.baseUrl}/healthz`);
    expect(response.status).toBe(200);
  });

  it("serves plain http on 3000 without a certificate, adding no HSTS of its own (the TLS suite covers https)", async () => {
    const response = await fetch(`${nginx.baseUrl}/`);

    expect(nginx.modeMessage).toContain("plain http on 3000");
    expect(nginx.tlsUrl).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("keeps /metrics from outside, though the API serves it inside", async () => {
    const response = await fetch(`${nginx.baseUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("status_http_request_duration_seconds");
  });

  it("serves Let's Encrypt's challenge files from the webroot on plain http", async () => {
    const challenges = path.join(nginx.acmeDir, ".well-known/acme-challenge");
    await mkdir(challenges, { recursive: true });
    await chmod(nginx.acmeDir, 0o755);
    await writeFile(path.join(challenges, "token-123"), "token-123.thumbprint");
    await chmod(path.join(challenges, "token-123"), 0o644);

    const response = await fetch(`${nginx.baseUrl}/.well-known/acme-challenge/token-123`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe("token-123.thumbprint");
  });

  it("answers seed 002's registry paths (/api/registry/…) through the API, with the API's authentication", async () => {
    const [user, developer] = [await signInAs(app, "USER"), await signInAs(app, "DEVELOPER")];
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const seedPath = `/api/registry/guarantees?control_id=${control.id}`;

    const anonymous = await fetch(`${nginx.baseUrl}${seedPath}`);
    const signedIn = await fetch(`${nginx.baseUrl}${seedPath}`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const csv = await fetch(`${nginx.baseUrl}${seedPath}`, {
      headers: { authorization: `Bearer ${user.token}`, accept: "text/csv" },
    });
    const unknown = await fetch(`${nginx.baseUrl}/api/registry/agreements`, {
      headers: { authorization: `Bearer ${user.token}` },
    });

    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "unauthenticated", instance: "/api/registry/guarantees" });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ items: [], total: 0 });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("x-total-count")).toBe("0");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  describe("/ → the SPA (status-frontend, nginx/web.conf)", () => {
    it("serves index.html, revalidated on every load, with the security headers", async () => {
      const response = await fetch(`${nginx.baseUrl}/`);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(html).toContain('<div id="root">');
      expect(html).toContain(`/assets/${hashedScript}`);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(response.headers.get("server")).toBe("nginx");
    });

    it("answers client-side routes with the SPA", async () => {
      const response = await fetch(`${nginx.baseUrl}/catalogs/some-id/controls`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
    });

    it("caches hashed assets for 30 days, with one Cache-Control header", async () => {
      const response = await fetch(`${nginx.baseUrl}/assets/${hashedScript}`);
      await response.arrayBuffer();

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/javascript/);
      expect(response.headers.get("cache-control")).toBe("max-age=2592000");
      const expires = Date.parse(response.headers.get("expires") ?? "");
      expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(30);
      expect((await fetch(`${nginx.baseUrl}/assets/missing-AAAAAAAA.js`)).status).toBe(404);
    });

    it("compresses text assets for browsers that accept it", async () => {
      const response = await fetch(`${nginx.baseUrl}/assets/${hashedScript}`, {
        headers: { "accept-encoding": "gzip" },
      });
      await response.arrayBuffer();
      expect(response.headers.get("content-encoding")).toBe("gzip");
    });
  });

  describe("/backend/ and /api/ → the API", () => {
    it("maps /backend/ to the API's /api/v1/", async () => {
      const health = await fetch(`${nginx.baseUrl}/backend/health`);
      const missing = await fetch(`${nginx.baseUrl}/backend/no-such-route`);

      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok" });
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(await missing.json()).toMatchObject({ code: "route_not_found", instance: "/api/v1/no-such-route" });
    });

    it("serves the API at /api/v1/ too, where the SPA calls it, keeping the API's own security headers", async () => {
      const response = await fetch(`${nginx.baseUrl}/api/v1/health`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      // Set by the API (helmet) and not added a second time by nginx.
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it("signs a browser in through the proxy (cookies and CSRF), and the API sees the client's address", async () => {
      const developer = await signInAs(app, "DEVELOPER");
      const jar = new CookieJar();
      const login = await browserRequest(proxy as TestApp, jar, "POST", "/backend/auth/login", {
        body: { username: developer.username, password: TEST_PASSWORD, session: "cookie" },
      });
      expect(login.status).toBe(200);
      expect(jar.get(AUTH_COOKIES.access)).toBeTruthy();

      const me = await browserRequest(proxy as TestApp, jar, "GET", "/api/v1/auth/me");
      expect(me.body).toMatchObject({ username: developer.username, role: "DEVELOPER" });
    });

    it("passes request bodies up to 50 MB and refuses larger ones itself (413)", async () => {
      const { jar } = await browserSignedInAs(proxy, app, "USER");
      const cookie = jar.headerFor("/grafana/");
      const tenMegabytes = Buffer.alloc(10 * 1024 * 1024, 97);
      const accepted = await fetch(`${nginx.baseUrl}/grafana/api/upload`, {
        method: "POST",
        headers: { cookie, "content-type": "application/octet-stream" },
        body: tenMegabytes,
      });
      const refused = await fetch(`${nginx.baseUrl}/grafana/api/upload`, {
        method: "POST",
        headers: { cookie, "content-type": "application/octet-stream" },
        body: Buffer.alloc(51 * 1024 * 1024, 97),
      });

      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ bodyBytes: tenMegabytes.length });
      expect(refused.status).toBe(413);
      expect(await refused.text()).toContain("nginx");
    });
  });

  describe("Server-Sent Events through the proxy", () => {
    let developer: TestUser;

    beforeAll(async () => {
      developer = await signInAs(app, "DEVELOPER");
    });

    it.each(["/backend", "/api/v1"])("streams a run's progress unbuffered at %s/runs/:id/events", async (prefix) => {
      const { control } = await createEvaluableControl(app, developer.token, {
        mashupId: "test-slow",
        params: { delayMs: 2500 },
      });
      const runId = (await startRuns(app, developer.token, control.id)).runs[0]!.id;
      const response = await fetch(`${nginx.baseUrl}${prefix}/runs/${runId}/events`, {
        headers: { authorization: `Bearer ${developer.token}`, "accept-encoding": "gzip" },
      });
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      expect(response.headers.get("content-encoding")).toBeNull();

      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }

      // The first event arrives on its own while the mashup is still working (it takes 2.5 s): a buffering proxy would
      // hand over the whole stream, final state included, when it ends.
      expect(first).toMatch(/^event: run\ndata: /);
      expect(JSON.parse(first.split("\ndata: ")[1]!.split("\n")[0]!).run.status).toMatch(/^(queued|running)$/);
      expect(first).not.toContain('"status":"succeeded"');
      expect(rest).toContain('"status":"succeeded"');
    });
  });

  describe("/node-red/ → Node-RED through the API's editor proxy", () => {
    it("serves the editor to a DEVELOPER after the hand-off, keeping the editor's no-referrer policy", async () => {
      const { jar } = await browserSignedInAs(proxy, app, "DEVELOPER");
      const handOff = await browserRequest(proxy as TestApp, jar, "GET", "/api/v1/mashups/editor");
      expect(handOff.status).toBe(302);
      expect(handOff.headers.get("location")).toMatch(/^\/node-red\/\?access_token=/);

      const editor = await browserRequest(proxy as TestApp, jar, "GET", "/node-red/", {
        headers: { accept: "text/html" },
      });
      expect(editor.status).toBe(200);
      expect(editor.text).toContain("<title>STATUS · Mashups</title>");
      expect(editor.headers.get("referrer-policy")).toBe("no-referrer");
      const script = await browserRequest(proxy as TestApp, jar, "GET", "/node-red/red/red.min.js");
      expect(script.status).toBe(200);
    });

    it("sends anonymous visitors to the login page", async () => {
      const response = await fetch(`${nginx.baseUrl}/node-red/`, {
        headers: { accept: "text/html" },
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/login?next=%2Fnode-red%2F");
    });

    it("upgrades the editor's /comms WebSocket through nginx and the API to Node-RED", async () => {
      const { jar } = await browserSignedInAs(proxy, app, "DEVELOPER");
      const handOff = await browserRequest(proxy as TestApp, jar, "GET", "/api/v1/mashups/editor");
      const token = /access_token=([^#&]+)/.exec(handOff.headers.get("location") ?? "")![1]!;
      const wsBase = nginx.baseUrl.replace("http", "ws");

      const { socket } = await openSocket(`${wsBase}/node-red/comms`, {
        cookie: jar.headerFor("/node-red/comms"),
        origin: nginx.baseUrl,
      });
      try {
        const answer = new Promise((resolve) =>
          socket!.once("message", (data: Buffer) => resolve(JSON.parse(data.toString()))),
        );
        socket!.send(JSON.stringify({ auth: decodeURIComponent(token) }));
        expect(await answer).toEqual({ auth: "ok" });
      } finally {
        socket?.close();
      }
      expect((await openSocket(`${wsBase}/node-red/comms`, {})).status).toBe(401);
    });
  });

  describe("/grafana/ → Grafana, signed in through the API (auth_request)", () => {
    it("redirects /grafana to /grafana/", async () => {
      const response = await fetch(`${nginx.baseUrl}/grafana`, { redirect: "manual" });
      expect(response.status).toBe(301);
      expect(new URL(response.headers.get("location")!, nginx.baseUrl).pathname).toBe("/grafana/");
    });

    it("sends anonymous visitors to the login page without reaching Grafana, whatever headers they forge", async () => {
      const before = seenByGrafana.length;
      const response = await fetch(`${nginx.baseUrl}/grafana/d/status-compliance`, {
        redirect: "manual",
        headers: { "x-webauth-user": "admin", "x-webauth-role": "Admin" },
      });

      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/\/login\?next=\/grafana\/$/);
      expect(seenByGrafana.length).toBe(before);
    });

    it("passes the signed-in user's identity and role from the API's answer, replacing forged X-WEBAUTH-* headers", async () => {
      const { jar, username } = await browserSignedInAs(proxy, app, "DEVELOPER");
      const response = await fetch(`${nginx.baseUrl}/grafana/d/status-compliance?orgId=1`, {
        headers: {
          cookie: jar.headerFor("/grafana/"),
          "x-webauth-user": "admin",
          "X-WEBAUTH-ROLE": "Admin",
          "x-webauth-email": "evil@example.com",
        },
      });

      expect(response.status).toBe(200);
      const seen = seenByGrafana.at(-1)!;
      expect(seen.url).toBe("/grafana/d/status-compliance?orgId=1");
      expect(seen.headers["x-webauth-user"]).toBe(username);
      expect(seen.headers["x-webauth-role"]).toBe("Editor");
      expect(seen.headers["x-webauth-name"]).toBeTruthy();
      // The user has no e-mail: the API sends no header, and nginx then sends none rather than the forged one.
      expect(seen.headers["x-webauth-email"]).toBeUndefined();
      expect(seen.headers.authorization).toBeUndefined();
    });

    it("asks the API with GET, the browser's cookies and without the request body, whatever the request's method", async () => {
      const { jar } = await browserSignedInAs(proxy, app, "USER");
      const before = seenByAuth.length;
      const response = await fetch(`${nginx.baseUrl}/grafana/api/ds/query`, {
        method: "POST",
        headers: { cookie: jar.headerFor("/grafana/"), "content-type": "application/json" },
        body: JSON.stringify({ queries: [] }),
      });

      expect(response.status).toBe(200);
      const asked = seenByAuth.slice(before);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ method: "GET", url: "/api/v1/auth/grafana/verify", bodyBytes: 0 });
      expect(asked[0]!.headers.cookie).toContain(`${AUTH_COOKIES.access}=`);
      expect(asked[0]!.headers["x-original-uri"]).toBe("/grafana/api/ds/query");
      expect(seenByGrafana.at(-1)!.headers["x-webauth-role"]).toBe("Viewer");
    });

    it("upgrades Grafana Live's WebSocket for a signed-in user, with the identity headers", async () => {
      const { jar, username } = await browserSignedInAs(proxy, app, "ADMIN");
      const { socket } = await openSocket(`${nginx.baseUrl.replace("http", "ws")}/grafana/api/live/ws`, {
        cookie: jar.headerFor("/grafana/"),
      });
      try {
        const answer = new Promise((resolve) => socket!.once("message", (data: Buffer) => resolve(data.toString())));
        socket!.send("ping");
        expect(await answer).toBe("echo:ping");
      } finally {
        socket?.close();
      }
      expect(grafana.upgrades.at(-1)).toMatchObject({
        "x-webauth-user": username,
        "x-webauth-role": "Admin",
        upgrade: "websocket",
      });
    });
  });
});
