import type { AppDeps } from "../../deps.ts";

/** An accepted exception for a failing point: the failure is recorded, and justified rather than counted. */
export interface PointException {
  id: string;
  justification: string;
  approvedBy: string | null;
  approvedAt: string;
}

/**
 * The exceptions recorded for these points, by point id. The seam where the point-exceptions tables (issue 13) plug
 * in: until they are merged no exception exists, so every failing point counts as a failure.
 */
export async function listExceptionsOfPoints(
  _deps: Pick<AppDeps, "db">,
  _pointIds: readonly string[],
): Promise<Map<string, PointException[]>> {
  return new Map();
}
