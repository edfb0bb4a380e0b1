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
