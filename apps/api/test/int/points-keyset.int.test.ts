import { PointPageSchema, POINT_TOTAL_CAP, type PointPage } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const BASE = Date.parse("2026-03-01T00:00:00Z");

/** GET /points pages with a cursor (keyset) and a total exact up to POINT_TOTAL_CAP, estimated past it. */
describe("GET /points with a cursor", () => {
  let app: TestApp;
  let user: TestUser;
  let ids: ControlIds;

  beforeAll(async () => {
    app = await startTestApp();
    const developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
    ids = await createHourlyControl(app, developer.token, new Date(BASE - 86_400_000).toISOString());
    // 23 points over three scopes, most windows shared by several scopes: ties on the sort value, broken by seq.
    await appendChosenPoints(
      app,
      ids,
      BASE,
      "engine",
      Array.from({ length: 23 }, (_, index) => ({
        hour: Math.floor(index / 3),
        result: index % 4 === 0 ? ("fail" as const) : ("pass" as const),
        scope: { shard: String(index % 3) },
      })),
    );
  });
  afterAll(() => app?.close());

  async function page(query: string): Promise<PointPage> {
    const response = await request(app, "GET", `/api/v1/points?controlId=${ids.controlId}&${query}`, {
      token: user.token,
    });
    expect(response.status, response.text).toBe(200);
    return PointPageSchema.parse(response.body);
  }

  for (const sort of ["-windowStart", "windowStart", "-createdAt"]) {
    it(`returns every point once across the pages (sort ${sort}), in the order of one big page`, async () => {
      const whole = await page(`sort=${sort}&pageSize=100`);
      expect(whole).toMatchObject({ total: 23, totalIsEstimate: false, nextCursor: null });
      const seen: string[] = [];
      let next = await page(`sort=${sort}&pageSize=4`);
      for (;;) {
        expect(next.total).toBe(23);
        seen.push(...next.items.map((point) => point.id));
        if (!next.nextCursor) break;
        next = await page(`sort=${sort}&pageSize=4&cursor=${next.nextCursor}`);
      }
      expect(seen).toEqual(whole.items.map((point) => point.id));
      expect(new Set(seen).size).toBe(23);
      // Page numbers (a deferred join past the first page) give the same points, whole, in the same order.
      const numbered: PointPage["items"] = [];
      for (let number = 1; number <= 6; number++)
        numbered.push(...(await page(`sort=${sort}&pageSize=4&page=${number}`)).items);
      expect(numbered).toEqual(whole.items);
    });
  }

  it("keeps page numbers working and agrees with the cursor", async () => {
    const first = await page("pageSize=5");
    const second = await page("pageSize=5&page=2");
    expect((await page(`pageSize=5&cursor=${first.nextCursor}`)).items).toEqual(second.items);
  });

  it("counts in the page's statement, and apart for a page with no rows", async () => {
    // 6 of the 23 fail (every fourth); a filter beside the control's is a statement of its own (not prepared).
    expect(await page("result=fail&pageSize=4")).toMatchObject({ total: 6, totalIsEstimate: false });
    const pastTheEnd = await page("pageSize=10&page=4");
    expect(pastTheEnd).toMatchObject({ items: [], total: 23, totalIsEstimate: false, nextCursor: null });
    const last = await page("sort=windowStart&pageSize=20");
    expect(await page(`sort=windowStart&pageSize=20&cursor=${last.nextCursor}`)).toMatchObject({ total: 23 });
    const developer = await signInAs(app, "DEVELOPER");
    const empty = await createHourlyControl(app, developer.token, new Date(BASE - 86_400_000).toISOString());
    const none = await request(app, "GET", `/api/v1/points?controlId=${empty.controlId}`, { token: user.token });
    expect(none.body).toMatchObject({ items: [], total: 0, totalIsEstimate: false, nextCursor: null });
  });

  it("answers 400 for a cursor that is not one, or was made under another sort", async () => {
    const first = await page("sort=windowStart&pageSize=5");
    for (const cursor of ["nonsense", first.nextCursor]) {
      const response = await request(app, "GET", `/api/v1/points?sort=-windowStart&cursor=${cursor}`, {
        token: user.token,
      });
      expectProblem(response, 400, "validation_failed");
    }
  });

  it(`counts exactly up to ${POINT_TOTAL_CAP.toLocaleString("en")}, then says the total is an estimate`, async () => {
    const developer = await signInAs(app, "DEVELOPER");
    const many = await createHourlyControl(app, developer.token, new Date(BASE - 86_400_000).toISOString());
    const hours = Array.from({ length: POINT_TOTAL_CAP + 1 }, (_, hour) => ({
      hour,
      result: "not_applicable" as const,
    }));
    await appendChosenPoints(app, many, BASE, "registry", hours);
    await app.deps.db.query("analyze points");
    const response = await request(app, "GET", `/api/v1/points?controlId=${many.controlId}&pageSize=10`, {
      token: user.token,
    });
    const body = PointPageSchema.parse(response.body);
    expect(body.totalIsEstimate).toBe(true);
    expect(body.total).toBeGreaterThan(POINT_TOTAL_CAP);
    expect(body.items).toHaveLength(10);
  });
});
