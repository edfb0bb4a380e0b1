import { Readable } from "node:stream";
import express, { type Request, type Response } from "express";
import { describe, expect, it } from "vitest";
import { AppError, CacheUnavailableError, RateLimitedError, ValidationError } from "../errors.ts";
import { problemFromError } from "./problem-from-error.ts";

const context = { instance: "/api/v1/catalogs", requestId: "req_test" };

/** The error express.json raises for a body, read from a stream the way Node delivers a request. */
async function bodyParserErrorFor(body: string, headers: Record<string, string>): Promise<unknown> {
  const req = Object.assign(Readable.from([Buffer.from(body)]), {
    headers: { "content-length": String(Buffer.byteLength(body)), ...headers },
  });
  return new Promise((resolve) => {
    express.json({ limit: "1kb" })(req as unknown as Request, {} as Response, (error?: unknown) => resolve(error));
  });
}

describe("problemFromError", () => {
  it("answers an AppError with its status, code, title, detail, issues and headers", () => {
    const issues = [
      { path: "body.name", message: "Required" },
      { path: "query.page", message: "Must be at least 1" },
    ];

    const validation = problemFromError(new ValidationError(issues), context);
    const limited = problemFromError(new RateLimitedError(9), context);

    expect(validation).toEqual({
      problem: {
        type: "https://status.example/problems/validation_failed",
        title: "Request validation failed",
        status: 400,
        detail: "2 fields are invalid",
        instance: "/api/v1/catalogs",
        code: "validation_failed",
        requestId: "req_test",
        errors: issues,
      },
      headers: {},
      isUnexpected: false,
    });
    expect(limited.problem).toMatchObject({ status: 429, code: "rate_limited" });
    expect(limited.headers).toEqual({ "Retry-After": "9" });
    expect(limited.isUnexpected).toBe(false);
  });

  it("maps body-parser errors to stable codes with fixed texts", async () => {
    const malformed = await bodyParserErrorFor('{"name": ', { "content-type": "application/json" });
    const tooLarge = await bodyParserErrorFor(JSON.stringify({ text: "x".repeat(2048) }), {
      "content-type": "application/json",
    });
    const latin1 = await bodyParserErrorFor("{}", { "content-type": "application/json; charset=latin1" });
    const unknownEncoding = await bodyParserErrorFor("{}", {
      "content-type": "application/json",
      "content-encoding": "x-bogus",
    });

    expect(problemFromError(malformed, context).problem).toMatchObject({
      status: 400,
      code: "malformed_json",
      detail: "The request body is not valid JSON",
    });
    expect(problemFromError(tooLarge, context).problem).toMatchObject({
      status: 413,
      code: "payload_too_large",
      detail: "The request body exceeds the size limit",
    });
    for (const unsupported of [latin1, unknownEncoding]) {
      const { problem, isUnexpected } = problemFromError(unsupported, context);
      expect(problem).toMatchObject({ status: 415, code: "unsupported_media_type", detail: "Send UTF-8 encoded JSON" });
      expect(JSON.stringify(problem)).not.toMatch(/latin1|bogus/i);
      expect(isUnexpected).toBe(false);
    }
  });

  it("answers another middleware's client error by its status, never with the error's message", () => {
    const missingFile = Object.assign(
      new Error("ENOENT: no such file or directory, stat '/srv/status/web/assets/missing.js'"),
      { status: 404, statusCode: 404, expose: false },
    );
    const traversal = Object.assign(new Error("Forbidden /srv/status/web/../secrets"), { status: 403 });
    const unusual = Object.assign(new Error("Range Not Satisfiable: /srv/status/web/assets/a.js"), { status: 416 });

    const notFound = problemFromError(missingFile, context);

    expect(notFound).toEqual({
      problem: {
        type: "https://status.example/problems/not_found",
        title: "Not found",
        status: 404,
        detail: "Nothing exists at this address",
        instance: "/api/v1/catalogs",
        code: "not_found",
        requestId: "req_test",
      },
      headers: {},
      isUnexpected: false,
    });
    expect(problemFromError(traversal, context).problem).toMatchObject({ status: 403, code: "forbidden" });
    expect(problemFromError(unusual, context).problem).toMatchObject({ status: 416, code: "bad_request" });
    for (const error of [missingFile, traversal, unusual]) {
      expect(JSON.stringify(problemFromError(error, context).problem)).not.toContain("/srv/");
    }
  });

  it.each([
    ["a plain Error", new Error("connection refused at /var/run/postgresql")],
    ["a thrown string", "something broke"],
    ["undefined", undefined],
    ["null", null],
    ["a server error with a status", Object.assign(new Error("stream is not readable"), { status: 500 })],
    ["a status that is not an error", Object.assign(new Error("odd"), { status: 302 })],
    ["a status given as text", Object.assign(new Error("odd"), { status: "404" })],
  ])("answers %s with a generic 500 for the caller to log", (_name, error) => {
    const { problem, headers, isUnexpected } = problemFromError(error, context);

    expect(problem).toEqual({
      type: "https://status.example/problems/internal_error",
      title: "Internal server error",
      status: 500,
      detail: "An unexpected error occurred; quote the request id when reporting it",
      instance: "/api/v1/catalogs",
      code: "internal_error",
      requestId: "req_test",
    });
    expect(headers).toEqual({});
    expect(isUnexpected).toBe(true);
  });

  it("keeps an AppError's own answer even when it carries a body-parser-like type", () => {
    const error = Object.assign(new AppError(409, "conflict", "Conflict", "Already there"), {
      type: "entity.too.large",
    });

    expect(problemFromError(error, {}).problem).toEqual({
      type: "https://status.example/problems/conflict",
      title: "Conflict",
      status: 409,
      detail: "Already there",
      code: "conflict",
    });
  });

  it.each([
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["a reset connection", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["a server shutting down (57P01)", Object.assign(new Error("terminating connection"), { code: "57P01" })],
    ["a server starting up (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["a connection exception (08006)", Object.assign(new Error("connection failure"), { code: "08006" })],
    ["a dropped connection", new Error("Connection terminated unexpectedly")],
    ["the connect deadline", new Error("Connection terminated due to connection timeout")],
    ["the pool's wait deadline", new Error("timeout exceeded when trying to connect")],
    ["the query deadline", new Error("Query read timeout")],
    [
      "every address of a name refused",
      Object.assign(new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })]), {
        code: "ECONNREFUSED",
      }),
    ],
  ])("answers %s of the database with 503 database_unavailable and Retry-After", (_name, error) => {
    const { problem, headers, isUnexpected } = problemFromError(error, context);

    expect(problem).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(headers["Retry-After"]).toMatch(/^\d+$/);
    expect(isUnexpected).toBe(false);
  });

  it("keeps a statement's own failure (a unique violation, a syntax error) a 500", () => {
    const unique = Object.assign(new Error("duplicate key"), { code: "23505" });
    const syntax = Object.assign(new Error("syntax error"), { code: "42601" });

    expect(problemFromError(unique, context).problem.status).toBe(500);
    expect(problemFromError(syntax, context).isUnexpected).toBe(true);
  });

  it("answers an unreachable cache with 503 cache_unavailable and Retry-After", () => {
    const { problem, headers } = problemFromError(
      new CacheUnavailableError(new Error("Connection is closed.")),
      context,
    );

    expect(problem).toMatchObject({ status: 503, code: "cache_unavailable" });
    expect(Number(headers["Retry-After"])).toBeGreaterThan(0);
  });
});
