import type { PointHandling } from "@status/shared";

/** Whether an exception expiring at `expiresAt` still holds at `now`. */
export function isExceptionActive(expiresAt: string, now: Date): boolean {
  return new Date(expiresAt).getTime() > now.getTime();
}

/**
 * Rows (points, computations) with their handling as the API answers it at `now`: the database stores when an
 * exception expires (db/handling-columns.ts reads it), the clock decides whether it is still active.
 */
export function withHandlingAt<T extends { handling: PointHandling | null }>(rows: readonly T[], now: Date): T[] {
  return rows.map((row) => {
    const exception = row.handling?.exception;
    if (!row.handling || !exception) return row;
    const isActive = isExceptionActive(exception.expiresAt, now);
    return { ...row, handling: { ...row.handling, exception: { ...exception, isActive } } };
  });
}
