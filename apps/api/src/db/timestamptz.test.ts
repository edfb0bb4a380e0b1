import { describe, expect, it } from "vitest";
import { isoOfTimestamptz } from "./timestamptz.ts";

/** The type parser this replaced: what every timestamp of every row used to go through. */
const viaDate = (text: string) => new Date(text).toISOString();

/** The answer, or the error's name for a text the Date round trip refuses (both must refuse it alike). */
function outcome(parse: (text: string) => string, text: string): string {
  try {
    return parse(text);
  } catch (error) {
    return (error as Error).name;
  }
}

/** A UTC instant as a Postgres session in UTC writes it: trailing zeros of the microseconds dropped, `+00`. */
function postgresText(epochMs: number, micros: number): string {
  const [date, time] = new Date(epochMs).toISOString().slice(0, 19).split("T");
  const fraction = String(micros).padStart(6, "0").replace(/0+$/, "");
  return `${date} ${time}${fraction ? `.${fraction}` : ""}+00`;
}

describe("isoOfTimestamptz", () => {
  it("rearranges a UTC timestamp into the contracts' ISO form, keeping milliseconds and dropping the rest", () => {
    expect(isoOfTimestamptz("2026-12-07 09:12:07.732123+00")).toBe("2026-12-07T09:12:07.732Z");
    expect(isoOfTimestamptz("2026-12-07 09:12:07.732999+00")).toBe("2026-12-07T09:12:07.732Z");
    expect(isoOfTimestamptz("2026-12-07 09:12:07.7+00")).toBe("2026-12-07T09:12:07.700Z");
    expect(isoOfTimestamptz("2026-12-07 09:12:07.07+00")).toBe("2026-12-07T09:12:07.070Z");
    expect(isoOfTimestamptz("2026-12-07 09:12:07.0005+00")).toBe("2026-12-07T09:12:07.000Z");
    expect(isoOfTimestamptz("2026-12-07 09:12:07+00")).toBe("2026-12-07T09:12:07.000Z");
  });

  it("answers what the Date round trip answers, for every fraction length across the years", () => {
    let seed = 19;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let index = 0; index < 5_000; index += 1) {
      // From 1000 to 9999: four-digit years, as Postgres writes them.
      const epochMs = -30_610_224_000_000 + (next() / 2_147_483_648) * 284_012_524_800_000;
      const micros = [0, 100_000, 120_000, 123_000, 123_400, 123_450, 123_456][index % 7]!;
      const text = postgresText(Math.floor(epochMs / 1000) * 1000, micros);
      expect(isoOfTimestamptz(text), text).toBe(viaDate(text));
    }
  });

  it("leaves other offsets and forms to the Date round trip", () => {
    for (const text of [
      "2026-12-07 10:12:07.732123+01",
      "2026-12-07 14:42:07.5+05:30",
      "2026-12-07 04:12:07-05",
      "2026-12-07 09:12:07.732123+10",
      "0044-03-15 12:00:00+00 BC",
      "12026-12-07 09:12:07+00",
      "infinity",
    ])
      expect(outcome(isoOfTimestamptz, text), text).toBe(outcome(viaDate, text));
  });
});
