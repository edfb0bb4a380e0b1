import type { ErrorCode, ProblemIssue } from "@status/shared";

/**
 * An expected failure with a stable code. Anything thrown that is not an AppError is a bug and answers 500.
 * The HTTP layer maps it to RFC 9457 problem details in one place (http/problem-from-error.ts).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    detail?: string,
    readonly issues?: ProblemIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export class ValidationError extends AppError {
  constructor(issues: ProblemIssue[]) {
    const count = issues.length;
    super(
      400,
      "validation_failed",
      "Request validation failed",
      `${count} ${count === 1 ? "field is" : "fields are"} invalid`,
      issues,
    );
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id?: string) {
    super(404, "not_found", "Resource not found", id ? `No ${resource} with id ${id}` : `No such ${resource}`);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    code: Extract<
      ErrorCode,
      | "unauthenticated"
      | "invalid_credentials"
      | "token_expired"
      | "token_invalid"
      | "refresh_token_reused"
      | "account_disabled"
      | "pending_login_invalid"
    > = "unauthenticated",
    detail?: string,
  ) {
    super(401, code, "Authentication required", detail ?? "Sign in or send a valid access token", undefined, {
      "WWW-Authenticate": 'Bearer realm="status"',
    });
  }
}

export class ForbiddenError extends AppError {
  constructor(
    detail = "Your role does not allow this action",
    code: Extract<ErrorCode, "forbidden" | "csrf_failed"> = "forbidden",
  ) {
    super(403, code, "Forbidden", detail);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, detail: string) {
    super(409, code, "Conflict", detail);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many requests", `Try again in ${retryAfterSeconds} seconds`, undefined, {
      "Retry-After": String(retryAfterSeconds),
    });
  }
}

/**
 * 429 `account_locked`: sign-in to one username failed from many addresses (a distributed attack); only a correct
 * password and second factor from an address without recent failures get through until it lifts.
 */
export class AccountLockedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      "account_locked",
      "Account temporarily locked",
      `Sign-in to this account failed from many addresses; for ${retryAfterSeconds} seconds only a correct password ` +
        "and second factor from an address without recent failures get through",
      undefined,
      { "Retry-After": String(retryAfterSeconds) },
    );
  }
}

/** 401 `second_factor_invalid`: the code is wrong, outside the ±1 step window, or was used already. */
export class InvalidSecondFactorError extends AppError {
  constructor() {
    super(401, "second_factor_invalid", "Second factor not accepted", "The code is wrong, expired or already used");
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: ErrorCode, detail: string) {
    super(503, code, "Service unavailable", detail);
  }
}

/**
 * A dependency (the database, the cache) could not be reached or did not answer within the deadline: the request may
 * succeed when retried, so the answer is 503 with Retry-After, never 500.
 */
export class DependencyUnavailableError extends AppError {
  constructor(
    code: Extract<ErrorCode, "database_unavailable" | "cache_unavailable">,
    detail: string,
    retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(503, code, "Service unavailable", detail, undefined, { "Retry-After": String(retryAfterSeconds) });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** How long a client is asked to wait before retrying after a dependency outage; restarts take a few seconds. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** The cache (Redis/Dragonfly) is down or did not answer within the deadline. */
export class CacheUnavailableError extends DependencyUnavailableError {
  constructor(cause: unknown) {
    super("cache_unavailable", "The cache cannot be reached; try again shortly", DEPENDENCY_RETRY_AFTER_SECONDS, {
      cause,
    });
  }
}

/** Postgres is down, restarting, refusing connections or did not answer within the deadline. */
export class DatabaseUnavailableError extends DependencyUnavailableError {
  constructor(cause: unknown) {
    super("database_unavailable", "The database cannot be reached; try again shortly", DEPENDENCY_RETRY_AFTER_SECONDS, {
      cause,
    });
  }
}

/** This instance has as many requests in flight as it may serve at once. */
export class OverloadedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(503, "overloaded", "Service overloaded", "The server is busy; try again shortly", undefined, {
      "Retry-After": String(retryAfterSeconds),
    });
  }
}
