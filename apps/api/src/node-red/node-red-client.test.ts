import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRedClient } from "./node-red-client.ts";

interface Received {
  url: string;
  contentLength: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** A stand-in for Node-RED's HTTP nodes: answers every POST with what it received. */
function startEchoServer(host: string) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        url: request.url ?? "",
        contentLength: request.headers["content-length"],
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ path: request.url }));
    });
  });
  // null: the host cannot listen here (no IPv6 on the machine).
  const listening = new Promise<number | null>((resolve) => {
    server.once("error", () => resolve(null));
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
  return { received, listening, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("invokeMashup", () => {
  const ipv4 = startEchoServer("127.0.0.1");
  let port = 0;
  beforeAll(async () => {
    port = (await ipv4.listening)!;
  });
  afterAll(() => ipv4.close());

  it("sends each call to its own path with the service credential, reusing the parsed target", async () => {
    const client = createNodeRedClient({
      baseUrl: `http://127.0.0.1:${port}`,
      httpRoot: "/api/v1",
      user: "svc",
      password: "secret",
    });
    const answers = [];
    for (const path of ["/a", "/b", "/a", "/a?x=1"])
      answers.push(await client.invokeMashup({ path, body: { path }, timeoutMs: 5_000 }));
    expect(answers.map((answer) => answer.body)).toEqual([
      { path: "/api/v1/a" },
      { path: "/api/v1/b" },
      { path: "/api/v1/a" },
      { path: "/api/v1/a?x=1" },
    ]);
    const basic = `Basic ${Buffer.from("svc:secret").toString("base64")}`;
    expect(new Set(ipv4.received.map((request) => request.authorization))).toEqual(new Set([basic]));
  });

  it("declares the body's length in bytes, so text beyond ASCII arrives whole", async () => {
    const client = createNodeRedClient({ baseUrl: `http://127.0.0.1:${port}`, httpRoot: "", user: "u", password: "p" });
    const body = { name: "Zürich ✓ 監査" };
    await client.invokeMashup({ path: "/utf8", body, timeoutMs: 5_000 });
    const request = ipv4.received.at(-1)!;
    expect(JSON.parse(request.body)).toEqual(body);
    expect(Number(request.contentLength)).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it("reaches a Node-RED on an IPv6 literal", async (context) => {
    const ipv6 = startEchoServer("::1");
    const v6Port = await ipv6.listening;
    if (v6Port === null) {
      context.skip();
      return;
    }
    try {
      const client = createNodeRedClient({ baseUrl: `http://[::1]:${v6Port}`, httpRoot: "", user: "u", password: "p" });
      const answer = await client.invokeMashup({ path: "/v6", body: {}, timeoutMs: 5_000 });
      expect(answer).toEqual({ status: 200, body: { path: "/v6" } });
    } finally {
      await ipv6.close();
    }
  });
});
