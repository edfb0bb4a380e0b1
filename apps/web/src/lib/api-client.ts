import axios, { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import {
  AUTH_COOKIES,
  CSRF_HEADER,
  ProblemDetailsSchema,
  SessionResponseSchema,
  type ProblemDetails,
  type ProblemIssue,
} from "@status/shared";
import { readCookie } from "./cookies.ts";

declare module "axios" {
  interface AxiosRequestConfig {
    /** Set on the refresh request itself, which must not trigger another refresh. */
    skipSessionRefresh?: boolean;
    /** Set on the replay of a request after a refresh, so it is replayed at most once. */
    isReplay?: boolean;
  }
}

export const API_BASE_URL = "/api/v1";

type ApiErrorInit = Pick<ProblemDetails, "status" | "code" | "title" | "detail" | "requestId" | "errors">;

/** A failed API call, as the server described it in its RFC 9457 problem (or as close as the client can tell). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: ProblemIssue[];

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** Turns whatever axios rejected with into an ApiError; errors that are not HTTP failures pass through. */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof AxiosError)) return error;
  if (error.code === AxiosError.ERR_CANCELED) return error;
  if (!error.response) {
    return new ApiError({
      status: 0,
      code: "network_error",
      title: "Network error",
      detail: "The server could not be reached.",
    });
  }
  return problemToApiError(error.response);
}

function problemToApiError(response: AxiosResponse): ApiError {
  const problem = ProblemDetailsSchema.safeParse(response.data);
  if (problem.success) return new ApiError({ ...problem.data, status: response.status });
  return new ApiError({
    status: response.status,
    code: "http_error",
    title: response.statusText || `HTTP ${response.status}`,
    detail: `The server answered ${response.status} without problem details.`,
  });
}

/** The single axios instance of the SPA: same-origin API, cookie session, CSRF header on unsafe methods. */
export const apiClient = axios.create({
  baseURL: API_BASE_URL,
  withCredentials: true,
  headers: { Accept: "application/json, application/problem+json" },
});

const UNSAFE_METHODS = new Set(["post", "put", "patch", "delete"]);

apiClient.interceptors.request.use((config) => {
  if (!UNSAFE_METHODS.has((config.method ?? "get").toLowerCase())) return config;
  const csrfToken = readCookie(AUTH_COOKIES.csrf);
  if (csrfToken) config.headers.set(CSRF_HEADER, csrfToken);
  return config;
});

apiClient.interceptors.response.use(undefined, async (error: unknown) => {
  if (!(error instanceof AxiosError) || !error.config || !shouldRefresh(error)) throw toApiError(error);
  try {
    await refreshSession();
  } catch {
    sessionExpiredHandler?.();
    throw toApiError(error);
  }
  return replay(error.config);
});

function replay(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return apiClient.request({ ...config, isReplay: true });
}

function shouldRefresh(error: AxiosError): boolean {
  const config = error.config;
  if (!config || config.skipSessionRefresh || config.isReplay || error.response?.status !== 401) return false;
  const code = ProblemDetailsSchema.safeParse(error.response.data).data?.code;
  if (code === "token_expired") return true;
  // The readable CSRF cookie lives as long as the session cookies, so its presence means a session existed.
  // `token_invalid` is how the API answers an access cookie whose session it no longer knows.
  return (code === "unauthenticated" || code === "token_invalid") && readCookie(AUTH_COOKIES.csrf) !== null;
}

let refreshInFlight: Promise<void> | null = null;

/**
 * Renews the cookie session. Concurrent callers share one request, because the refresh token rotates and a second
 * refresh with the old cookie would be taken for reuse.
 */
export function refreshSession(): Promise<void> {
  refreshInFlight ??= apiClient
    .post("/auth/refresh", undefined, { skipSessionRefresh: true })
    .then((response) => void SessionResponseSchema.parse(response.data))
    .finally(() => {
      refreshInFlight = null;
    });
  return refreshInFlight;
}

let sessionExpiredHandler: (() => void) | null = null;

/** Registers what to do when a session can no longer be refreshed (the app sends the user to /login). */
export function setSessionExpiredHandler(handler: (() => void) | null): void {
  sessionExpiredHandler = handler;
}
