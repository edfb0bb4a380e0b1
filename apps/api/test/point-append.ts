import { expect } from "vitest";
import { withTransaction } from "../src/db/database.ts";
import { appendPoints, lockChainHeads } from "../src/modules/points/index.ts";
import { createCatalogVia, createControlVia } from "./factories.ts";
import { request } from "./http-client.ts";
import type { TestApp } from "./test-app.ts";

const HOUR = 3_600_000;

export interface ControlIds {
  catalogId: string;
  controlId: string;
}

/** A finalized UTC catalog with one hourly control (threshold 80), with no points yet. */
export async function createHourlyControl(app: TestApp, token: string, startDate: string): Promise<ControlIds> {
  const catalog = await createCatalogVia(app, token, { startDate, timeZone: "UTC" });
  const control = await createControlVia(app, token, catalog.id, { period: "HOURLY", threshold: 80 });
  const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
    token,
    body: { status: "finalized" },
  });
  expect(finalized.status, finalized.text).toBe(200);
  return { catalogId: catalog.id, controlId: control.id };
}

/** A point the test chooses: an hourly window `hour` hours after `base`, its result and scope. */
export interface ChosenPoint {
  hour: number;
  result: "pass" | "fail" | "not_applicable";
  scope?: Record<string, string>;
}

/**
 * Appends the chosen points to the control's real hash chain through the points module's append (as the engine and
 * the registry do), in one transaction. A passing point's value is 100, a failing one's 40 + its hour.
 */
export async function appendChosenPoints(
  app: TestApp,
  ids: ControlIds,
  base: number,
  source: "engine" | "registry",
  points: readonly ChosenPoint[],
): Promise<void> {
  await withTransaction(app.deps.db, async (tx) => {
    const version = await tx.query<{ digest: string }>(
      "select digest from control_versions where control_id = $1 and version = 1",
      [ids.controlId],
    );
    const heads = await lockChainHeads(tx, [ids.controlId]);
    await appendPoints(
      tx,
      heads,
      points.map(({ hour, result, scope = {} }) => ({
        ...ids,
        scope,
        scopeKey: JSON.stringify(scope),
        windowStart: new Date(base + hour * HOUR).toISOString(),
        windowEnd: new Date(base + (hour + 1) * HOUR).toISOString(),
        value: result === "pass" ? 100 : result === "fail" ? 40 + (hour % 40) : null,
        threshold: 80,
        result,
        computationId: null,
        evidenceDigest: null,
        controlVersion: 1,
        versionDigest: version.rows[0]!.digest,
      })),
      source,
    );
  });
}
