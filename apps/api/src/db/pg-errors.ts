/** SQLSTATE codes the repositories translate into domain errors. */
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";
// A key with `on delete restrict`: Postgres up to 17 reports 23503, Postgres 18 (and so PGlite 0.5) 23001.
const RESTRICT_VIOLATION = "23001";

interface PgError {
  code?: string;
  constraint?: string;
}

function asPgError(error: unknown): PgError | undefined {
  return typeof error === "object" && error !== null && "code" in error ? (error as PgError) : undefined;
}

/** True for a unique violation, of `constraint` when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = asPgError(error);
  return pgError?.code === UNIQUE_VIOLATION && (!constraint || pgError.constraint === constraint);
}

/** True for a foreign-key violation (including a RESTRICT one), of `constraint` when given. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const pgError = asPgError(error);
  const isViolation = pgError?.code === FOREIGN_KEY_VIOLATION || pgError?.code === RESTRICT_VIOLATION;
  return isViolation && (!constraint || pgError?.constraint === constraint);
}

// The socket errors of a server that is down, restarting or unreachable.
const UNREACHABLE_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// SQLSTATEs of a server going away or not yet accepting: admin_shutdown, crash_shutdown, cannot_connect_now, and
// too_many_connections (a restart's reconnect storm). Class 08 (connection exception) is matched as a class.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
// pg and pg-pool raise these as plain Errors without a code, so their fixed texts are the only way to tell them
// apart: a dropped connection, the connect/pool-wait deadline (connectionTimeoutMillis), the query deadline
// (query_timeout), and a client or pool already closed by such a failure or by shutdown.
const PG_CONNECTION_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Query read timeout",
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
  "Cannot use a pool after calling end on the pool",
];

/**
 * True when `error` says the database cannot be reached (down, restarting, connection dropped, deadline passed),
 * rather than that a statement failed: such a request may succeed when retried, so it answers 503, not 500.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === "string" && (UNREACHABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  if (typeof code === "string" && /^08[0-9A-Z]{3}$/.test(code)) return true;
  // Connecting to a name with several addresses fails with an AggregateError of each attempt's error.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isDatabaseUnreachable(inner))) return true;
  return typeof message === "string" && PG_CONNECTION_MESSAGES.some((text) => message.startsWith(text));
}
