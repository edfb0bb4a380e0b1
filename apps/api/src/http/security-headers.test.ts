import type { Request, Response } from "express";
import helmet, { type HelmetOptions } from "helmet";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.ts";

/** The headers a middleware leaves on a response: set ones by lower-case name, removed ones as null. */
function headersOf(middleware: (req: Request, res: Response, next: () => void) => void): Record<string, unknown> {
  const headers: Record<string, unknown> = { "x-powered-by": "Express" };
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      headers[name.toLowerCase()] = null;
    },
  };
  let calls = 0;
  middleware({ method: "GET", headers: {} } as Request, res as unknown as Response, () => (calls += 1));
  expect(calls).toBe(1);
  return headers;
}

describe("the security headers", () => {
  it.each<[string, HelmetOptions]>([
    [
      "the app's options",
      {
        contentSecurityPolicy: {
          directives: { "img-src": ["'self'", "data:", "https://avatars.githubusercontent.com"] },
        },
        crossOriginEmbedderPolicy: false,
      },
    ],
    ["helmet's defaults", {}],
  ])("are exactly helmet's, with %s", (_name, options) => {
    const recorded = headersOf(securityHeaders(options));

    expect(recorded).toEqual(headersOf(helmet(options)));
    expect(recorded["content-security-policy"]).toEqual(expect.stringContaining("default-src 'self'"));
    expect(recorded["x-powered-by"]).toBeNull();
  });
});
