import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { ProblemDetailsSchema, type ProblemDetails } from "@status/shared";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimitedError, ValidationError } from "../../src/errors.ts";
import { createErrorHandler } from "../../src/http/error-handler.ts";
import { writeEventStream, type StreamEvent } from "../../src/http/event-stream-writer.ts";
import { requestContext } from "../../src/http/request-context.ts";
import type { Logger } from "../../src/logger.ts";
import { expectNoServerPath, expectProblem, request } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { postForEvents } from "../sse.ts";

describe("a file missing under /assets", () => {
  let webDistDir: string;
  let app: TestApp;

  beforeAll(async () => {
    webDistDir = await mkdtemp(path.join(os.tmpdir(), "status-web-dist-"));
    await mkdir(path.join(webDistDir, "assets"));
    await writeFile(path.join(webDistDir, "index.html"), "<!doctype html><title>STATUS</title>");
    await writeFile(path.join(webDistDir, "assets", "app-1a2b3c.js"), "console.log('app');");
    app = await startTestApp({ env: { WEB_DIST_DIR: webDistDir } });
  });
  afterAll(async () => {
    await app?.close();
    await rm(webDistDir, { recursive: true, force: true });
  });

  it("answers 404 not_found problem+json that names no file on the server", async () => {
    const missing = `/assets/missing-${uniqueSuffix()}.js`;

    const response = await request(app, "GET", missing);
    const present = await request(app, "GET", "/assets/app-1a2b3c.js");

    const problem = expectProblem(response, 404, "not_found") as ProblemDetails;
    expect(ProblemDetailsSchema.parse(problem)).toEqual({
      type: "https://status.example/problems/not_found",
      title: "Not found",
      status: 404,
      detail: "Nothing exists at this address",
      instance: missing,
      code: "not_found",
      requestId: response.headers.get("x-request-id"),
    });
    expectNoServerPath(response, [webDistDir]);
    expect(present.status).toBe(200);
    expect(present.text).toBe("console.log('app');");
  });
});

interface LogLine {
  msg: string;
  requestId?: string;
  err?: { message: string };
}

/** What the app logged at error level, parsed. */
function captureLog() {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: "error" }, destination), lines };
}

const FAILURES = {
  validation: () =>
    new ValidationError([
      { path: "body.name", message: "Required" },
      { path: "query.page", message: "Must be at least 1" },
    ]),
  limited: () => new RateLimitedError(7),
  bug: () => new Error("connect ECONNREFUSED /var/run/postgresql/.s.PGSQL.5432"),
};
type Failure = keyof typeof FAILURES;

async function* oneEventThenFail(failure: Failure): AsyncGenerator<StreamEvent> {
  yield { event: "delta", data: { text: "The controls that failed are" } };
  await new Promise((resolve) => setImmediate(resolve));
  throw FAILURES[failure]();
}

/**
 * The real error handler and event-stream writer on a bare app: the same failure thrown by a plain route, after an
 * event stream started, and after a plain response started.
 */
function buildFailingApp(log: Logger): express.Express {
  const app = express();
  app.use(requestContext(log));
  app.post("/plain/:failure", (req) => {
    throw FAILURES[req.params.failure as Failure]();
  });
  app.post("/stream/:failure", (req, res) =>
    writeEventStream(req, res, oneEventThenFail(req.params.failure as Failure), log),
  );
  app.post("/started/:failure", (req, res) => {
    res.status(200).type("text/plain").write("partial answer");
    throw FAILURES[req.params.failure as Failure]();
  });
  app.use(createErrorHandler(log));
  return app;
}

describe("an error after a response started", () => {
  const captured = captureLog();
  let server: Server;
  let target: Pick<TestApp, "baseUrl">;

  beforeAll(async () => {
    server = buildFailingApp(captured.log).listen(0, "127.0.0.1");
    await once(server, "listening");
    target = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ["validation" as const, 400, "validation_failed"],
    ["limited" as const, 429, "rate_limited"],
    ["bug" as const, 500, "internal_error"],
  ])(
    "turns a %s failure inside an event stream into an error event with the handler's body",
    async (failure, status, code) => {
      const requestId = `same-${uniqueSuffix()}`;

      const plain = await request(target, "POST", `/plain/${failure}`, {
        headers: { "x-request-id": requestId },
      });
      const streamed = await postForEvents(target, `/stream/${failure}`, {
        body: {},
        headers: { "x-request-id": requestId },
      });

      const problem = expectProblem(plain, status, code) as ProblemDetails;
      expect(problem.instance).toBe(`/plain/${failure}`);
      expect(streamed.status).toBe(200);
      expect(streamed.events).toEqual([
        { event: "delta", data: { text: "The controls that failed are" } },
        { event: "error", data: { ...problem, instance: `/stream/${failure}` } },
      ]);
      expectNoServerPath(plain);
      expect(streamed.text).not.toContain("/var/run");
    },
  );

  it("carries every validation issue in the error event", async () => {
    const streamed = await postForEvents(target, "/stream/validation", { body: {} });

    const last = streamed.events.at(-1);
    expect(last?.event).toBe("error");
    expect((last?.data as ProblemDetails).errors).toEqual([
      { path: "body.name", message: "Required" },
      { path: "query.page", message: "Must be at least 1" },
    ]);
  });

  it("logs an unexpected failure in a stream with its request id, and an expected one not at all", async () => {
    const bugId = `bug-${uniqueSuffix()}`;
    const validationId = `validation-${uniqueSuffix()}`;

    await postForEvents(target, "/stream/bug", { body: {}, headers: { "x-request-id": bugId } });
    await postForEvents(target, "/stream/validation", {
      body: {},
      headers: { "x-request-id": validationId },
    });

    const failures = captured.lines.filter((line) => line.msg === "event stream failed");
    expect(failures.filter((line) => line.requestId === bugId)).toHaveLength(1);
    expect(failures.filter((line) => line.requestId === validationId)).toHaveLength(0);
    expect(failures.find((line) => line.requestId === bugId)?.err?.message).toContain("ECONNREFUSED");
  });

  it.each(["validation" as const, "bug" as const])(
    "cuts a started plain response after a %s failure, so the client sees it fail instead of a whole-looking body",
    async (failure) => {
      const requestId = `started-${uniqueSuffix()}`;

      // The head may or may not have left before the cut; either way the body never reads as whole.
      const reading = fetch(`${target.baseUrl}/started/${failure}`, {
        method: "POST",
        headers: { "x-request-id": requestId },
      }).then((response) => response.text());

      await expect(reading).rejects.toThrow();
      const logged = captured.lines.filter((line) => line.requestId === requestId);
      expect(logged.map((line) => line.msg)).toEqual(["error after the response started"]);
    },
  );
});
