import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAs } from "../http-client.ts";
import { startNginx, type RunningNginx } from "../nginx-harness.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * nginx/ with a certificate: the reverse proxy's TLS mode, with a self-signed certificate made here by openssl and put
 * where the container mounts certificates (nginx/40-status-tls.sh then picks servers-tls.conf, as at container start).
 */

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  peerFingerprint: string;
  protocol: string | null;
}

/** GET over https trusting only the certificate made for the test. */
function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, headers, servername: "localhost", agent: false }, (response) => {
      const socket = response.socket as tls.TLSSocket;
      const peerFingerprint = socket.getPeerCertificate().fingerprint256;
      const protocol = socket.getProtocol();
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, peerFingerprint, protocol }),
      );
    });
    request.on("error", reject);
  });
}

/** The protocol the server picks by ALPN when a client offers HTTP/2 and HTTP/1.1. */
function negotiatedProtocol(url: string, ca: string): Promise<string | false | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: hostname, port: Number(port), ca, servername: "localhost", ALPNProtocols: ["h2", "http/1.1"] },
      () => {
        resolve(socket.alpnProtocol ?? null);
        socket.end();
      },
    );
    socket.on("error", reject);
  });
}

describe("the nginx reverse proxy with a TLS certificate (self-signed, made by the test)", () => {
  let app: TestApp;
  let nginx: RunningNginx;
  let workDir: string;
  let certificate: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "status-tls-"));
    await chmod(workDir, 0o755);
    const tlsDir = path.join(workDir, "tls");
    const webRoot = path.join(workDir, "web");
    await mkdir(tlsDir);
    await mkdir(path.join(webRoot, "assets"), { recursive: true });
    await writeFile(path.join(webRoot, "index.html"), '<!doctype html><div id="root"></div>');
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      path.join(tlsDir, "privkey.pem"),
      "-out",
      path.join(tlsDir, "fullchain.pem"),
    ]);
    // nginx's workers may run as another user than the test: they read the key and the SPA.
    for (const directory of [tlsDir, webRoot, path.join(webRoot, "assets")]) await chmod(directory, 0o755);
    for (const file of ["tls/privkey.pem", "tls/fullchain.pem", "web/index.html"])
      await chmod(path.join(workDir, file), 0o644);
    certificate = await readFile(path.join(tlsDir, "fullchain.pem"), "utf8");
    app = await startTestApp({ env: { TRUST_PROXY: "1" } });
    nginx = await startNginx({
      webRoot,
      tlsDir,
      upstreams: { "status-backend:3001": new URL(app.baseUrl).host, "grafana:3000": "127.0.0.1:9" },
    });
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    await app?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("chooses TLS because the certificate and its key are there", () => {
    expect(nginx.modeMessage).toContain("https on 8443");
    expect(nginx.tlsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves STATUS over https with the mounted certificate, TLS 1.2 or newer, HTTP/2 offered, and HSTS", async () => {
    const spa = await httpsGet(`${nginx.tlsUrl}/`, certificate);
    const api = await httpsGet(`${nginx.tlsUrl}/api/v1/health`, certificate);

    expect(spa.status).toBe(200);
    expect(spa.body).toContain('<div id="root">');
    expect(spa.peerFingerprint).toBe(new X509Certificate(certificate).fingerprint256);
    expect(spa.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(spa.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(api.status).toBe(200);
    // One HSTS header: the API's own, not a second one added by nginx.
    expect(api.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(JSON.parse(api.body)).toMatchObject({ status: "ok" });
    expect(await negotiatedProtocol(nginx.tlsUrl!, certificate)).toBe("h2");
  });

  it("serves the API to a signed-in user over https", async () => {
    const developer = await signInAs(app, "DEVELOPER");
    const me = await httpsGet(`${nginx.tlsUrl}/api/v1/auth/me`, certificate, {
      authorization: `Bearer ${developer.token}`,
    });

    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ username: developer.username, role: "DEVELOPER" });
  });

  it("redirects plain http to https with the same host, path and query (80 → 443)", async () => {
    // fetch cannot set Host; a browser asking for status.example.org sends it.
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const asked = http.get(`${nginx.baseUrl}/catalogs/abc?tab=controls`, { headers: { host: "status.example.org" } });
      asked.on("response", (answer) => resolve(answer.resume())).on("error", reject);
    });

    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe("https://status.example.org/catalogs/abc?tab=controls");
  });

  it("keeps the health check and Let's Encrypt's challenges on plain http", async () => {
    const challenges = path.join(nginx.acmeDir, ".well-known/acme-challenge");
    await mkdir(challenges, { recursive: true });
    await chmod(nginx.acmeDir, 0o755);
    await writeFile(path.join(challenges, "renewal"), "renewal.thumbprint");
    await chmod(path.join(challenges, "renewal"), 0o644);

    const health = await fetch(`${nginx.baseUrl}/healthz`, { redirect: "manual" });
    const challenge = await fetch(`${nginx.baseUrl}/.well-known/acme-challenge/renewal`, { redirect: "manual" });

    expect(health.status).toBe(200);
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe("renewal.thumbprint");
  });

  it("keeps /metrics from outside over https too", async () => {
    expect((await httpsGet(`${nginx.tlsUrl}/metrics`, certificate)).status).toBe(404);
  });
});
