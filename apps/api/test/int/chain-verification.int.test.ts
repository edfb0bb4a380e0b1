import { ChainVerificationSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const HOUR = 3_600_000;
const BASE = Date.parse("2026-01-01T00:00:00Z");
const at = (hour: number) => new Date(BASE + hour * HOUR).toISOString();

/**
 * GET /controls/:id/points/verify reads the chain in batches (2,000 points each, each point with its evidences),
 * stops at the first break, and with `?resume=true` resumes after the checkpoint an intact walk leaves (migration
 * 0064) while that checkpoint still holds.
 */
describe("chain verification in batches, from a checkpoint", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function controlWithPoints(count: number) {
    const ids = await createHourlyControl(app, developer.token, at(-24));
    await append(ids, 0, count);
    return ids;
  }

  /** `count` hourly not-applicable points from `firstHour` on, over three scopes. */
  const append = (ids: ControlIds, firstHour: number, count: number) =>
    appendChosenPoints(
      app,
      ids,
      BASE,
      "registry",
      Array.from({ length: count }, (_, index) => ({
        hour: firstHour + index,
        result: "not_applicable" as const,
        scope: { shard: String(index % 3) },
      })),
    );

  async function verify(controlId: string, query = "") {
    const response = await request(app, "GET", `/api/v1/controls/${controlId}/points/verify${query}`, {
      token: developer.token,
    });
    expect(response.status, response.text).toBe(200);
    return ChainVerificationSchema.parse(response.body);
  }

  const chainOrder = async (controlId: string) =>
    (
      await app.deps.db.query<{ id: string }>("select id from points where control_id = $1 order by seq", [controlId])
    ).rows.map((row) => row.id);

  const checkpointOf = async (controlId: string) =>
    (
      await app.deps.db.query<{ pointId: string; pointCount: number }>(
        `select point_id as "pointId", point_count::int as "pointCount" from point_chain_checkpoints where control_id = $1`,
        [controlId],
      )
    ).rows[0];

  it("stops at a tampered point past the first batch and reports it, with the chain's totals", async () => {
    const ids = await controlWithPoints(2_100);
    const chain = await chainOrder(ids.controlId);
    await app.deps.db.query("update points set result = 'pass' where id = $1", [chain[2_050]]);
    expect(await verify(ids.controlId)).toMatchObject({
      isIntact: false,
      pointCount: 2_100,
      pointsByHashScheme: { "2": 2_100 },
      firstBrokenPointId: chain[2_050],
      problem: expect.stringContaining("edited"),
    });
    // A broken walk leaves no checkpoint.
    expect(await checkpointOf(ids.controlId)).toBeUndefined();
  });

  it("finds a break in any of the batches read at once: an edit in the second pair, a removal at a batch boundary", async () => {
    const ids = await controlWithPoints(4_050);
    const chain = await chainOrder(ids.controlId);
    expect(await verify(ids.controlId)).toMatchObject({ isIntact: true, pointCount: 4_050 });
    await app.deps.db.query("update points set scope_key = scope_key || ' ' where id = $1", [chain[4_020]]);
    expect(await verify(ids.controlId)).toMatchObject({
      isIntact: false,
      firstBrokenPointId: chain[4_020],
      problem: expect.stringContaining("edited"),
    });
    // The first point of the second batch of the first pair (read at an offset, on its own connection) is removed.
    await app.deps.db.query("delete from points where id = $1", [chain[2_000]]);
    expect(await verify(ids.controlId)).toMatchObject({
      isIntact: false,
      pointCount: 4_049,
      firstBrokenPointId: chain[2_001],
      problem: expect.stringContaining("removed"),
    });
  });

  it("resumes from its checkpoint when asked, and walks from the start otherwise or when it no longer holds", async () => {
    const ids = await controlWithPoints(2_010);
    expect(await verify(ids.controlId)).toMatchObject({ isIntact: true, pointCount: 2_010 });
    let chain = await chainOrder(ids.controlId);
    expect(await checkpointOf(ids.controlId)).toEqual({ pointId: chain[2_009], pointCount: 2_010 });

    await append(ids, 3_000, 5);
    chain = await chainOrder(ids.controlId);
    expect(await verify(ids.controlId, "?resume=true")).toMatchObject({
      isIntact: true,
      pointCount: 2_015,
      pointsByHashScheme: { "2": 2_015 },
    });
    expect(await checkpointOf(ids.controlId)).toEqual({ pointId: chain[2_014], pointCount: 2_015 });

    // An edit before the checkpoint: a resumed walk does not re-read it (the checkpoint records it was verified) …
    await app.deps.db.query("update points set result = 'pass' where id = $1", [chain[10]]);
    expect(await verify(ids.controlId, "?resume=true")).toMatchObject({ isIntact: true, pointCount: 2_015 });
    // … a full walk, the default, finds it …
    expect(await verify(ids.controlId)).toMatchObject({ isIntact: false, firstBrokenPointId: chain[10] });
    // … and a point removed before the checkpoint voids it: a resumed walk starts over, stopping at the first break.
    await app.deps.db.query("delete from points where id = $1", [chain[5]]);
    expect(await verify(ids.controlId, "?resume=true")).toMatchObject({
      isIntact: false,
      pointCount: 2_014,
      firstBrokenPointId: chain[6],
      problem: expect.stringContaining("removed"),
    });
  });
});
