import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from "@status/shared";
import { http, HttpResponse } from "msw";
import type { ControlState, IntegrationName, Mashup, Me, Scope, SystemCapabilities } from "@status/shared";

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

/** GET /mashups/:id/limits answering these limits (default: none) for any mashup. */
export function mashupLimitsHandler(
  limits: { maxConcurrency: number | null; ratePerSecond: number | null } = {
    maxConcurrency: null,
    ratePerSecond: null,
  },
) {
  return http.get("/api/v1/mashups/:id/limits", ({ params }) =>
    HttpResponse.json({ mashupId: params.id, ...limits, updatedAt: null }),
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

/** The control page's handling requests (exceptions, the people to pick), answering nothing handled and nobody. */
export function handlingHandlers(controlId: string) {
  return [
    http.get(`/api/v1/controls/${controlId}/exceptions`, () => HttpResponse.json({ items: [] })),
    http.get("/api/v1/people", () => HttpResponse.json({ items: [] })),
  ];
}

/** Every integration, configured unless named in `unconfigured`, as `GET /system/capabilities` answers. */
export function buildCapabilities(unconfigured: readonly IntegrationName[] = []): SystemCapabilities {
  const entry = (name: IntegrationName, label: string, variables: string[], readmeSection: string) => ({
    name,
    label,
    isConfigured: !unconfigured.includes(name),
    enables: `${label} features`,
    variables,
    alternative: name === "ai" ? "An administrator can enter the API key in Settings → AI instead" : null,
    readmeSection,
    readmeAnchor: readmeSection
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/\s/g, "-"),
  });
  return {
    integrations: [
      entry(
        "grafana",
        "Grafana",
        ["GRAFANA_URL", "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD"],
        "Dashboards and Grafana",
      ),
      entry("ai", "AI", ["OPENAI_API_KEY", "OPENAI_BASE_URL"], "AI assistants"),
      entry("registry", "Governify registry", ["REGISTRY_URL"], "Governify registry and director"),
      entry("director", "Governify director", ["DIRECTOR_URL"], "Governify registry and director"),
      entry("github", "GitHub sign-in", ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"], "GitHub sign-in"),
      entry("oidc", "Single sign-on (OpenID Connect)", ["OIDC_ISSUER"], "Single sign-on (OpenID Connect)"),
      entry("smtp", "E-mail (SMTP)", ["SMTP_URL", "SMTP_FROM"], "E-mail and Grafana alerts"),
    ],
    features: { mcp: { isEnabled: true, endpoint: "/api/v1/mcp" } },
  };
}

export function capabilitiesHandler(unconfigured: readonly IntegrationName[] = []) {
  return http.get("/api/v1/system/capabilities", () => HttpResponse.json(buildCapabilities(unconfigured)));
}
