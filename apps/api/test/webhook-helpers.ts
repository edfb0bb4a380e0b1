import type { ComplianceResult } from "@status/shared";
import { withTransaction } from "../src/db/database.ts";
import { appendPoints, lockChainHeads } from "../src/modules/points/index.ts";
import type { TestApp } from "./test-app.ts";

/**
 * Appends one point of `controlId` for the day starting `windowStart`: an engine point as the run processor would, or
 * with `source: "registry"` one as the registry sync would.
 */
export async function appendTestPoint(
  app: TestApp,
  control: { id: string; catalogId: string },
  result: ComplianceResult,
  windowStart: string,
  options: { rollback?: boolean; source?: "engine" | "registry"; scope?: Record<string, string> } = {},
): Promise<string> {
  const version = await app.deps.db.query<{ version: number; digest: string }>(
    "select version, digest from control_versions where control_id = $1 order by version desc limit 1",
    [control.id],
  );
  const { version: controlVersion, digest } = version.rows[0]!;
  const start = new Date(windowStart);
  let pointId = "";
  const append = withTransaction(app.deps.db, async (tx) => {
    const heads = await lockChainHeads(tx, [control.id]);
    const { ids } = await appendPoints(
      tx,
      heads,
      [
        {
          controlId: control.id,
          catalogId: control.catalogId,
          scope: options.scope ?? {},
          scopeKey: JSON.stringify(options.scope ?? {}),
          windowStart: start.toISOString(),
          windowEnd: new Date(start.getTime() + 86_400_000).toISOString(),
          value: result === "pass" ? 100 : 10,
          threshold: 80,
          result,
          computationId: null,
          evidenceDigest: null,
          controlVersion,
          versionDigest: digest,
        },
      ],
      options.source ?? "engine",
    );
    pointId = ids[0]!;
    if (options.rollback) throw new Error("rolled back by the test");
  });
  if (options.rollback) await append.catch(() => undefined);
  else await append;
  return pointId;
}

/** Polls until `check` answers a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
