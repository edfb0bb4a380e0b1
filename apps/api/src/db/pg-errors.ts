/** SQLSTATE codes the repositories translate into domain errors. */
const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

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

/** True for a foreign-key violation, of `constraint` when given. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const pgError = asPgError(error);
  return pgError?.code === FOREIGN_KEY_VIOLATION && (!constraint || pgError.constraint === constraint);
}
