import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from "@status/shared";
import { http, HttpResponse } from "msw";
import type { Me } from "@status/shared";

/** An RFC 9457 answer as the API sends it. */
export function problemResponse(problem: Pick<ProblemDetails, "status" | "code" | "title"> & Partial<ProblemDetails>) {
  return HttpResponse.json(
    { type: `https://status.example/problems/${problem.code}`, ...problem },
    { status: problem.status, headers: { "Content-Type": PROBLEM_CONTENT_TYPE } },
  );
}

export const unauthenticated = () =>
  problemResponse({ status: 401, code: "unauthenticated", title: "Authentication required" });

export function meHandler(me: Me | null) {
  return http.get("/api/v1/auth/me", () => (me ? HttpResponse.json(me) : unauthenticated()));
}

export function providersHandler(github: boolean) {
  return http.get("/api/v1/auth/providers", () => HttpResponse.json({ local: true, github }));
}

/** GET /auth/grafana as the API answers a signed-in user (the identity headers and pass cookie do not matter here). */
export function grafanaSessionHandler() {
  return http.get("/api/v1/auth/grafana", () => new HttpResponse(null, { status: 204 }));
}
