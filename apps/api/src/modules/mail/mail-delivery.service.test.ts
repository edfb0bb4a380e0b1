import { describe, expect, it } from "vitest";
import { dueAtFor } from "./mail-delivery.service.ts";

describe("dueAtFor", () => {
  const now = new Date("2026-12-06T23:15:30Z");

  it("makes immediate mail due now", () => {
    expect(dueAtFor("immediate", now)).toEqual(now);
  });

  it("makes an hourly digest due at the end of the UTC hour", () => {
    expect(dueAtFor("hourly", now).toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(dueAtFor("hourly", new Date("2026-12-06T10:00:00Z")).toISOString()).toBe("2026-12-06T11:00:00.000Z");
  });

  it("makes a daily digest due at the next UTC midnight, across a month's end", () => {
    expect(dueAtFor("daily", now).toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(dueAtFor("daily", new Date("2026-12-31T00:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
