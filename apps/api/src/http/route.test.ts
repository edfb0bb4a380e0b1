import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineRoute, mountRoutes, type RouteDefinition } from "./route.ts";

const route = (method: RouteDefinition["method"], path: string, answer: string) =>
  defineRoute({
    method,
    path,
    summary: "",
    tag: "",
    access: "public",
    responses: {},
    handler({ res, req }) {
      res.json({ answer, params: req.params });
    },
  });

/** Routes of one segment declared apart (as modules do), an earlier route shadowing a later one, and a failing one. */
const routes = [
  route("get", "/things", "list"),
  route("get", "/things/mine", "mine"),
  route("post", "/things", "create"),
  route("get", "/others/:id", "other"),
  route("get", "/things/:id", "thing"),
  route("get", "/things/mine", "never: shadowed by the first /things/mine"),
  route("patch", "/things/:id", "update"),
  defineRoute({
    method: "get",
    path: "/failing",
    summary: "",
    tag: "",
    access: "public",
    responses: {},
    handler() {
      throw new Error("boom");
    },
  }),
];

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  const api = express.Router();
  mountRoutes(api, routes, {
    authenticate: async () => null,
    verifyCsrf: () => {},
  });
  api.use((req, res) => {
    res.status(404).json({ fellThrough: `${req.method} ${req.path}` });
  });
  app.use("/api", api);
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function call(method: string, path: string): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, { method });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}

describe("mounting routes by method and first segment", () => {
  it("answers each route by method and path, in table order, with its parameters", async () => {
    expect((await call("GET", "/things")).body).toEqual({ answer: "list", params: {} });
    expect((await call("POST", "/things")).body).toEqual({ answer: "create", params: {} });
    expect((await call("GET", "/things/mine")).body).toEqual({ answer: "mine", params: {} });
    expect((await call("GET", "/things/42")).body).toEqual({ answer: "thing", params: { id: "42" } });
    expect((await call("PATCH", "/things/42")).body).toEqual({ answer: "update", params: { id: "42" } });
    expect((await call("GET", "/others/7")).body).toEqual({ answer: "other", params: { id: "7" } });
  });

  it("matches as Express does: any case, a trailing slash, a query, HEAD by the GET route", async () => {
    expect((await call("GET", "/THINGS/42")).body).toEqual({ answer: "thing", params: { id: "42" } });
    expect((await call("GET", "/Things/42/")).body).toEqual({ answer: "thing", params: { id: "42" } });
    expect((await call("GET", "/things?x=/others/1")).body).toEqual({ answer: "list", params: {} });
    const head = await call("HEAD", "/things/42");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
  });

  it("passes on what no route serves, OPTIONS included, to the middleware after it", async () => {
    expect((await call("DELETE", "/things/42")).body).toEqual({ fellThrough: "DELETE /things/42" });
    expect((await call("GET", "/things/42/more")).body).toEqual({ fellThrough: "GET /things/42/more" });
    expect((await call("GET", "/nothing")).body).toEqual({ fellThrough: "GET /nothing" });
    expect((await call("GET", "/")).body).toEqual({ fellThrough: "GET /" });
    const options = await call("OPTIONS", "/things");
    expect(options.status).toBe(404);
    expect(options.body).toEqual({ fellThrough: "OPTIONS /things" });
  });

  it("hands a handler's error to the app's error handler", async () => {
    expect(await call("GET", "/failing")).toMatchObject({ status: 500, body: { error: "boom" } });
  });

  it("refuses a route path that does not start with a literal segment", () => {
    const auth = { authenticate: async () => null, verifyCsrf: () => {} };
    expect(() => mountRoutes(express.Router(), [route("get", "/:id", "x")], auth)).toThrow(/literal segment/);
  });
});
