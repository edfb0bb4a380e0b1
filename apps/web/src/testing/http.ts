import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from "@status/shared";
import { http, HttpResponse } from "msw";
import type { ControlState, Mashup, Me, Scope } from "@status/shared";

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

/** GET /events (the header's bell): none, unless a test passes some. */
export function eventsHandler(items: unknown[] = []) {
  return http.get("/api/v1/events", () => HttpResponse.json({ items }));
}

export function providersHandler(github: boolean) {
  return http.get("/api/v1/auth/providers", () => HttpResponse.json({ local: true, github }));
}

/** GET /auth/grafana as the API answers a signed-in user (the identity headers and pass cookie do not matter here). */
export function grafanaSessionHandler() {
  return http.get("/api/v1/auth/grafana", () => new HttpResponse(null, { status: 204 }));
}

/** GET /mashups answering these mashups (one page). */
export function mashupsHandler(mashups: Mashup[] = []) {
  return http.get("/api/v1/mashups", () =>
    HttpResponse.json({ items: mashups, total: mashups.length, page: 1, pageSize: 200 }),
  );
}

/** GET /scopes answering these scopes (one page). */
export function scopesHandler(scopes: Scope[] = []) {
  return http.get("/api/v1/scopes", () =>
    HttpResponse.json({ items: scopes, total: scopes.length, page: 1, pageSize: 200 }),
  );
}

/** GET /catalogs/:id/control-states answering these states. */
export function controlStatesHandler(catalogId: string, states: ControlState[] = []) {
  return http.get(`/api/v1/catalogs/${catalogId}/control-states`, () => HttpResponse.json({ items: states }));
}
