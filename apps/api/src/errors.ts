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
