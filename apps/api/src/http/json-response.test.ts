import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type Response } from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { answerJsonDirectly, sendJsonText } from "./json-response.ts";

const large = { items: Array.from({ length: 80 }, (_, index) => ({ index, name: `élément ${index} ✓` })) };

/** The answers both apps give: one route table, through Express's res.json and through the direct one. */
function routes(app: Express): Express {
  app.set("etag", false);
  app.get("/small", (_req, res) => res.json({ id: "a", count: 1, nested: { ok: true }, text: "ünïcode ✓" }));
  app.get("/large", (_req, res) => res.json(large));
  app.get("/created", (_req, res) => res.status(201).location("/x").json({ id: "x" }));
  app.get("/typed", (_req, res) => res.type("application/vnd.status+json").json({ typed: true }));
  app.get("/empty", (_req, res) => res.status(204).json({ ignored: true }));
  app.get("/nothing", (_req, res) => res.json(undefined));
  app.get("/null", (_req, res) => res.json(null));
  app.get("/text", (_req, res) => res.json("a string"));
  app.get("/chunked", (_req, res: Response) => res.set("Transfer-Encoding", "chunked").json({ chunked: true }));
  return app;
}

/** The same answers (but `undefined`, which is no JSON text) given as ready JSON text through sendJsonText. */
function textRoutes(app: Express): Express {
  app.set("etag", false);
  const text = (value: unknown) => JSON.stringify(value);
  app.get("/small", (_req, res) =>
    sendJsonText(res, text({ id: "a", count: 1, nested: { ok: true }, text: "ünïcode ✓" })),
  );
  app.get("/large", (_req, res) => sendJsonText(res, text(large)));
  app.get("/created", (_req, res) => sendJsonText(res.status(201).location("/x"), text({ id: "x" })));
  app.get("/typed", (_req, res) => sendJsonText(res.type("application/vnd.status+json"), text({ typed: true })));
  app.get("/empty", (_req, res) => sendJsonText(res.status(204), text({ ignored: true })));
  app.get("/null", (_req, res) => sendJsonText(res, "null"));
  app.get("/text", (_req, res) => sendJsonText(res, text("a string")));
  app.get("/chunked", (_req, res: Response) =>
    sendJsonText(res.set("Transfer-Encoding", "chunked"), text({ chunked: true })),
  );
  return app;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(server: Server, path: string, method = "GET", headers: Record<string, string> = {}): Promise<Raw> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        const { date: _date, ...rest } = response.headers;
        resolve({ status: response.statusCode ?? 0, headers: rest, body });
      });
    });
    request.on("error", reject);
    request.end();
  });
}

let viaExpress: Server;
let direct: Server;
let textual: Server;

beforeAll(async () => {
  const plain = routes(express());
  const fast = express();
  fast.set("etag", false);
  answerJsonDirectly(fast);
  routes(fast);
  const withText = express();
  withText.set("etag", false);
  answerJsonDirectly(withText);
  textRoutes(withText);
  viaExpress = plain.listen(0, "127.0.0.1");
  direct = fast.listen(0, "127.0.0.1");
  textual = withText.listen(0, "127.0.0.1");
  await Promise.all(
    [viaExpress, direct, textual].map((server) => new Promise((resolve) => server.once("listening", resolve))),
  );
});

afterAll(async () => {
  await Promise.all([viaExpress, direct, textual].map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("answering JSON directly", () => {
  const cases: [string, string, Record<string, string>][] = [
    ["GET", "/small", {}],
    ["GET", "/large", {}],
    ["HEAD", "/small", {}],
    ["HEAD", "/large", {}],
    ["GET", "/created", {}],
    ["GET", "/typed", {}],
    ["GET", "/empty", {}],
    ["GET", "/nothing", {}],
    ["GET", "/null", {}],
    ["GET", "/text", {}],
    ["GET", "/chunked", {}],
    ["GET", "/small", { "if-none-match": "*" }],
    ["GET", "/small", { "if-none-match": '"abc"' }],
    ["GET", "/small", { "if-modified-since": "Mon, 07 Dec 2026 09:00:00 GMT" }],
  ];

  it.each(cases)("answers %s %s %j as Express does, byte for byte", async (method, path, headers) => {
    const [expected, actual] = await Promise.all([
      get(viaExpress, path, method, headers),
      get(direct, path, method, headers),
    ]);
    expect(actual).toEqual(expected);
  });

  it.each(cases.filter(([, path]) => path !== "/nothing"))(
    "answers %s %s %j given as JSON text as res.json of the value does, byte for byte",
    async (method, path, headers) => {
      const [expected, actual] = await Promise.all([
        get(viaExpress, path, method, headers),
        get(textual, path, method, headers),
      ]);
      expect(actual).toEqual(expected);
    },
  );

  it("takes the direct path for a plain answer, and Express's for the others", async () => {
    const expressJson = vi.spyOn(express.response, "json");
    const app = express();
    app.set("etag", false);
    answerJsonDirectly(app);
    routes(app);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      await get(server, "/small");
      await get(server, "/created");
      expect(expressJson).not.toHaveBeenCalled();
      await get(server, "/typed");
      await get(server, "/small", "GET", { "if-none-match": "*" });
      expect(expressJson).toHaveBeenCalledTimes(2);
    } finally {
      expressJson.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses to install where Express would do more than it", () => {
    const withEtag = express();
    expect(() => answerJsonDirectly(withEtag)).toThrow(/etag fn/);
    const withSpaces = express();
    withSpaces.set("etag", false);
    withSpaces.set("json spaces", 2);
    expect(() => answerJsonDirectly(withSpaces)).toThrow(/json spaces/);
  });
});
