import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AUTH_COOKIES, CSRF_HEADER, type Role } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createNodeRedClient } from "../../src/node-red/node-red-client.ts";
import { browserRequest, CookieJar } from "../cookie-jar.ts";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { sharedNodeRed } from "../test-run.ts";
import { buildUser } from "../user-factory.ts";

async function signedInBrowser(app: TestApp, role: Role): Promise<CookieJar> {
  const user = await buildUser(app, { role });
  const jar = new CookieJar();
  const login = await browserRequest(app, jar, "POST", "/api/v1/auth/login", {
    body: { username: user.username, password: user.password, session: "cookie" },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return jar;
}

/** The hand-off a developer's browser follows: GET /api/v1/mashups/editor → 302 with the editor's Node-RED token. */
async function editorToken(app: TestApp, jar: CookieJar): Promise<string> {
  const response = await browserRequest(app, jar, "GET", "/api/v1/mashups/editor");
  const token = /access_token=([^#&]+)/.exec(response.headers.get("location") ?? "")?.[1];
  if (response.status !== 302 || !token) throw new Error(`no editor token: ${response.status} ${response.text}`);
  return token;
}

/** Opens a WebSocket through the app; resolves with the socket once open, or with the refusing HTTP status. */
function openSocket(
  app: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${app.baseUrl.replace("http", "ws")}${path}`, { headers });
    socket.once("open", () => resolve({ socket }));
    socket.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    socket.once("error", reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once("message", (data: Buffer) => resolve(JSON.parse(data.toString()))));
}

describe("Node-RED editor through the app at /node-red/", () => {
  let app: TestApp;
  let developer: CookieJar;
  let user: CookieJar;

  beforeAll(async () => {
    app = await startTestApp();
    [developer, user] = await Promise.all([signedInBrowser(app, "DEVELOPER"), signedInBrowser(app, "USER")]);
  });
  afterAll(() => app?.close());

  it("serves a DEVELOPER the editor page, with Node-RED's own headers rather than the app's CSP", async () => {
    const response = await browserRequest(app, developer, "GET", "/node-red/", { headers: { accept: "text/html" } });

    expect(response.status).toBe(200);
    expect(response.text).toContain("<title>STATUS · Mashups</title>");
    expect(response.text).toMatch(/<script src="red\/red\.min\.js/);
    expect(response.headers.get("content-security-policy")).toBeNull();
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("serves the editor's static files and redirects /node-red to /node-red/ (relative URLs need the slash)", async () => {
    const script = await browserRequest(app, developer, "GET", "/node-red/red/red.min.js");
    const bare = await browserRequest(app, developer, "GET", "/node-red");

    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/node-red/");
  });

  it("lets the editor call the admin API with the token of the hand-off, and only with it", async () => {
    const token = await editorToken(app, developer);

    const withToken = await browserRequest(app, developer, "GET", "/node-red/flows", {
      headers: { authorization: `Bearer ${token}`, "node-red-api-version": "v2" },
    });
    const withoutToken = await browserRequest(app, developer, "GET", "/node-red/flows");

    expect(withToken.status).toBe(200);
    expect(withToken.body.flows.some((node: { id: string }) => node.id === "pull-requests-reviewed")).toBe(true);
    expect(withoutToken.status).toBe(401);
  });

  it("ADMIN is let through too", async () => {
    const admin = await signedInBrowser(app, "ADMIN");

    expect((await browserRequest(app, admin, "GET", "/node-red/", { headers: { accept: "text/html" } })).status).toBe(
      200,
    );
  });

  it("refuses a USER with 403", async () => {
    expectProblem(
      await browserRequest(app, user, "GET", "/node-red/", { headers: { accept: "text/html" } }),
      403,
      "forbidden",
    );
    expectProblem(
      await browserRequest(app, user, "GET", "/node-red/flows", { headers: { accept: "application/json" } }),
      403,
      "forbidden",
    );
  });

  it("sends an anonymous browser to the login page, and answers 401 to anonymous API calls", async () => {
    const page = await request(app, "GET", "/node-red/", { headers: { accept: "text/html" } });
    const call = await request(app, "GET", "/node-red/flows", { headers: { accept: "application/json" } });
    const bearerOnly = await request(app, "GET", "/node-red/flows", {
      headers: { accept: "application/json", authorization: `Bearer ${await editorToken(app, developer)}` },
    });

    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/login?next=%2Fnode-red%2F");
    expectProblem(call, 401, "unauthenticated");
    // A Node-RED token alone is not enough: the STATUS session is checked on every request.
    expectProblem(bearerOnly, 401, "unauthenticated");
  });

  it("keeps the editor working after the access token expires, with the pass of the hand-off, while the session lasts", async () => {
    const jar = await signedInBrowser(app, "DEVELOPER");
    const token = await editorToken(app, jar);
    const flows = () =>
      browserRequest(app, jar, "GET", "/node-red/flows", {
        headers: { accept: "application/json", authorization: `Bearer ${token}` },
      });
    expect(jar.get("status_editor")).toBeDefined();
    expect(jar.headerFor("/api/v1/catalogs")).not.toContain("status_editor");
    try {
      app.setNow(new Date(Date.now() + 20 * 60_000));
      expect((await browserRequest(app, jar, "GET", "/api/v1/auth/me")).status).toBe(401);
      expect((await flows()).status).toBe(200);

      app.setNow(new Date(Date.now() + 9 * 60 * 60_000));
      expectProblem(await flows(), 401, "unauthenticated");
    } finally {
      app.setNow(undefined);
    }
  });

  it("ends the editor with the session: after sign-out the pass no longer works", async () => {
    const jar = await signedInBrowser(app, "DEVELOPER");
    const token = await editorToken(app, jar);
    const pass = jar.get("status_editor")!;

    const logout = await browserRequest(app, jar, "POST", "/api/v1/auth/logout", {
      headers: { [CSRF_HEADER]: jar.get(AUTH_COOKIES.csrf)! },
    });
    jar.set("status_editor", pass, "/node-red");

    expect(logout.status).toBeLessThan(300);
    expectProblem(
      await browserRequest(app, jar, "GET", "/node-red/flows", {
        headers: { accept: "application/json", authorization: `Bearer ${token}` },
      }),
      401,
      "unauthenticated",
    );
  });

  it("refuses Node-RED's own sign-in through the proxy", async () => {
    const response = await browserRequest(app, developer, "POST", "/node-red/auth/token", {
      body: {
        client_id: "node-red-editor",
        grant_type: "password",
        scope: "*",
        username: "status-service",
        password: "guess",
      },
    });

    expectProblem(response, 403, "forbidden");
  });

  describe("the comms WebSocket", () => {
    it("upgrades for a DEVELOPER and authenticates with the editor's token", async () => {
      const token = await editorToken(app, developer);

      const { socket } = await openSocket(app, "/node-red/comms", { cookie: developer.headerFor("/node-red/comms") });
      try {
        const answer = nextMessage(socket!);
        socket!.send(JSON.stringify({ auth: token }));

        expect(await answer).toEqual({ auth: "ok" });
      } finally {
        socket?.close();
      }
    });

    it("refuses anonymous (401), USER (403) and another site's page (403)", async () => {
      const anonymous = await openSocket(app, "/node-red/comms", {});
      const asUser = await openSocket(app, "/node-red/comms", { cookie: user.headerFor("/node-red/comms") });
      const crossSite = await openSocket(app, "/node-red/comms", {
        cookie: developer.headerFor("/node-red/comms"),
        origin: "https://evil.example",
      });

      expect([anonymous.status, asUser.status, crossSite.status]).toEqual([401, 403, 403]);
    });

    it("refuses upgrades outside /node-red/", async () => {
      expect((await openSocket(app, "/api/v1/health", { cookie: developer.headerFor("/") })).status).toBe(404);
    });
  });

  describe("what reaches Node-RED", () => {
    let upstream: Server;
    let seen: { url: string; headers: IncomingHttpHeaders }[];
    let proxied: TestApp;
    let browser: CookieJar;

    beforeAll(async () => {
      seen = [];
      upstream = createServer((req, res) => {
        seen.push({ url: req.url ?? "", headers: req.headers });
        res
          .writeHead(200, { "content-type": "text/plain", "set-cookie": "nr=1; Path=/", location: "/elsewhere" })
          .end("ok");
      });
      await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
      const port = (upstream.address() as AddressInfo).port;
      proxied = await startTestApp({
        nodeRed: createNodeRedClient({ ...sharedNodeRed(), baseUrl: `http://127.0.0.1:${port}` }),
      });
      browser = await signedInBrowser(proxied, "DEVELOPER");
    });
    afterAll(async () => {
      await proxied?.close();
      await new Promise((resolve) => upstream?.close(resolve));
    });

    it("never the user's STATUS cookies, access token or CSRF token; the prefix and the hand-off token are stripped", async () => {
      const nodeRedToken = "A".repeat(170) + "==";
      const jwtLike = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";

      await browserRequest(proxied, browser, "GET", `/node-red/settings?access_token=${nodeRedToken}&lng=en`, {
        headers: { authorization: `Bearer ${nodeRedToken}`, "x-csrf-token": "c" },
      });
      await browserRequest(proxied, browser, "GET", "/node-red/flows", {
        headers: { authorization: `Bearer ${jwtLike}`, "x-access-token": jwtLike },
      });

      expect(seen.map((request) => request.url)).toEqual(["/settings?lng=en", "/flows"]);
      for (const { headers } of seen) {
        expect(headers.cookie).toBeUndefined();
        expect(headers["x-access-token"]).toBeUndefined();
        expect(headers["x-csrf-token"]).toBeUndefined();
        expect(headers["x-forwarded-prefix"]).toBe("/node-red");
      }
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${nodeRedToken}`);
      expect(seen[1]?.headers.authorization).toBeUndefined();
    });

    it("keeps Node-RED's cookies out of the browser and its redirects under the prefix", async () => {
      const response = await browserRequest(proxied, browser, "GET", "/node-red/anything");

      expect(response.headers.get("set-cookie")).toBeNull();
      expect(response.headers.get("location")).toBe("/node-red/elsewhere");
    });
  });

  it("answers 503 service_unavailable when Node-RED is down", async () => {
    const down = await startTestApp({
      nodeRed: createNodeRedClient({ ...sharedNodeRed(), baseUrl: "http://127.0.0.1:9" }),
    });
    try {
      const jar = await signedInBrowser(down, "DEVELOPER");

      expectProblem(
        await browserRequest(down, jar, "GET", "/node-red/flows", { headers: { accept: "application/json" } }),
        503,
        "service_unavailable",
      );
    } finally {
      await down.close();
    }
  });
});
