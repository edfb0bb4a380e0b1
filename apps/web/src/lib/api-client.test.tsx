// @vitest-environment jsdom
import { AUTH_COOKIES, CSRF_HEADER } from "@status/shared";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCookie } from "@/testing/cookies.ts";
import { buildMe } from "@/testing/factories.ts";
import { problemResponse } from "@/testing/http.ts";
import { server } from "@/testing/server.ts";
import { ApiError, apiClient, setSessionExpiredHandler } from "./api-client.ts";

afterEach(() => setSessionExpiredHandler(null));

function sessionBody() {
  return { user: buildMe(), expiresAt: "2030-01-01T00:00:00Z" };
}

describe("apiClient", () => {
  it("rejects a problem+json answer with an ApiError carrying status, code, title, detail and field errors", async () => {
    server.use(
      http.post("/api/v1/catalogs", () =>
        problemResponse({
          status: 400,
          code: "validation_failed",
          title: "Request validation failed",
          detail: "2 fields are invalid",
          requestId: "req_1",
          errors: [
            { path: "body.name", message: "Required" },
            { path: "body.endDate", message: "Must be after startDate" },
          ],
        }),
      ),
    );

    const error = await apiClient.post("/catalogs", {}).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "validation_failed",
      title: "Request validation failed",
      detail: "2 fields are invalid",
      requestId: "req_1",
      errors: [
        { path: "body.name", message: "Required" },
        { path: "body.endDate", message: "Must be after startDate" },
      ],
    });
  });

  it("rejects an answer without problem details with an ApiError of code http_error", async () => {
    server.use(http.get("/api/v1/catalogs", () => new HttpResponse("Bad gateway", { status: 502 })));

    const error = await apiClient.get("/catalogs").catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, code: "http_error", errors: [] });
  });

  it("sends the CSRF cookie in the x-csrf-token header on unsafe methods only", async () => {
    setCookie(AUTH_COOKIES.csrf, "csrf-123");
    const seen: Record<string, string | null> = {};
    server.use(
      http.get("/api/v1/catalogs", ({ request }) => {
        seen.get = request.headers.get(CSRF_HEADER);
        return HttpResponse.json({});
      }),
      http.patch("/api/v1/catalogs/1", ({ request }) => {
        seen.patch = request.headers.get(CSRF_HEADER);
        return HttpResponse.json({});
      }),
    );

    await apiClient.get("/catalogs");
    await apiClient.patch("/catalogs/1", {});

    expect(seen).toEqual({ get: null, patch: "csrf-123" });
  });

  it("refreshes once for concurrent token_expired answers, then replays each request", async () => {
    let isExpired = true;
    let refreshCount = 0;
    server.use(
      http.get("/api/v1/catalogs/:id", ({ params }) =>
        isExpired
          ? problemResponse({ status: 401, code: "token_expired", title: "Token expired" })
          : HttpResponse.json({ id: params.id }),
      ),
      http.post("/api/v1/auth/refresh", async () => {
        refreshCount += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        isExpired = false;
        return HttpResponse.json(sessionBody());
      }),
    );

    const responses = await Promise.all(["a", "b", "c"].map((id) => apiClient.get(`/catalogs/${id}`)));

    expect(refreshCount).toBe(1);
    expect(responses.map((response) => response.data)).toEqual([{ id: "a" }, { id: "b" }, { id: "c" }]);
  });

  it("refreshes on unauthenticated only when a session existed (the CSRF cookie is present)", async () => {
    const refresh = vi.fn(() => HttpResponse.json(sessionBody()));
    server.use(
      http.get("/api/v1/auth/me", () =>
        problemResponse({ status: 401, code: "unauthenticated", title: "Authentication required" }),
      ),
      http.post("/api/v1/auth/refresh", refresh),
    );

    await expect(apiClient.get("/auth/me")).rejects.toMatchObject({ status: 401, code: "unauthenticated" });

    expect(refresh).not.toHaveBeenCalled();
  });

  it("reports the ended session and rejects with the original 401 when the refresh fails", async () => {
    setCookie(AUTH_COOKIES.csrf, "csrf-123");
    const onExpired = vi.fn();
    setSessionExpiredHandler(onExpired);
    server.use(
      http.get("/api/v1/catalogs", () =>
        problemResponse({ status: 401, code: "unauthenticated", title: "Authentication required" }),
      ),
      http.post("/api/v1/auth/refresh", () =>
        problemResponse({ status: 401, code: "unauthenticated", title: "Session ended" }),
      ),
    );

    await expect(apiClient.get("/catalogs")).rejects.toMatchObject({ status: 401, code: "unauthenticated" });

    expect(onExpired).toHaveBeenCalledTimes(1);
  });
});
