import { describe, expect, it } from "vitest";
import {
  agreementHash,
  buildAgreement,
  controlIdOfGuarantee,
  guaranteeIdOf,
  publishedVersions,
  withoutStorageFields,
} from "./agreement.ts";

const CONTROL = "3c9e51d2-0000-4000-8000-00000000beef";
const HEX = "3c9e51d20000400080000000" + "0000beef";
const source = {
  catalog: {
    id: "11111111-2222-4333-8444-555555555555",
    startDate: "2025-01-01T00:00:00.000Z",
    timeZone: "Europe/Madrid",
  },
  controls: [
    {
      id: CONTROL,
      name: "Patched'); process.exit(1); //",
      version: 3,
      period: "ANNUALLY" as const,
      threshold: 95,
      startDate: null,
      params: { maxAgeDays: 30 },
      scopeSets: [{ site: "madrid" }],
    },
  ],
  scopes: new Map([["site", { description: "Data centre", type: "string", defaultValue: null }]]),
  publicApiUrl: "https://status.example/api/v1",
};

describe("the agreement of a catalog", () => {
  it("names guarantees and metrics by control id, so a control's name never reaches an objective", () => {
    const agreement = buildAgreement(source);
    const guarantee = agreement.terms.guarantees[0]!;
    expect(guarantee.id).toBe(`CONTROL_${HEX}`);
    expect(guarantee.of[0]!.objective).toBe(`CONTROL_${HEX}_METRIC >= 95`);
    expect(guarantee.description).toBe(source.controls[0]!.name);
    expect(controlIdOfGuarantee(guaranteeIdOf(CONTROL))).toBe(CONTROL);
    expect(controlIdOfGuarantee("PATCHED_HOSTS")).toBeUndefined();
  });

  it("maps ANNUALLY to the registry's yearly and takes windows from the catalog's start", () => {
    const of = buildAgreement(source).terms.guarantees[0]!.of[0]!;
    expect(of.window).toEqual({ type: "static", period: "yearly", initial: "2025-01-01" });
    expect(of.scope).toEqual({ site: "madrid" });
  });

  it("gives one `of` with the empty scope to a control without scope sets", () => {
    const agreement = buildAgreement({ ...source, controls: [{ ...source.controls[0]!, scopeSets: [] }] });
    expect(agreement.terms.guarantees[0]!.of.map((of) => of.scope)).toEqual([{}]);
    expect(agreement.terms.guarantees[0]!.scope).toEqual({});
  });

  it("hashes equal agreements equally, whatever the key order or MongoDB's storage fields", () => {
    const agreement = buildAgreement(source);
    const stored = JSON.parse(
      JSON.stringify({
        __v: 0,
        _id: "65f0",
        ...agreement,
        terms: { guarantees: agreement.terms.guarantees, metrics: agreement.terms.metrics },
      }),
    );
    expect(agreementHash(withoutStorageFields(stored))).toBe(agreementHash(agreement));
    expect(
      agreementHash(buildAgreement({ ...source, controls: [{ ...source.controls[0]!, threshold: 90 }] })),
    ).not.toBe(agreementHash(agreement));
  });

  it("tells the registry which control version its terms are, and reads that back from a stored agreement", () => {
    const agreement = buildAgreement(source);
    const metric = agreement.terms.metrics[`CONTROL_${HEX}_METRIC`]!;
    expect(metric.measure.params).toEqual({ maxAgeDays: 30, controlId: CONTROL, controlVersion: 3 });
    expect(publishedVersions(JSON.parse(JSON.stringify(agreement)))).toEqual(new Map([[CONTROL, 3]]));
    expect(publishedVersions(null)).toEqual(new Map());
    expect(publishedVersions({ terms: { metrics: { M: { measure: { params: { controlId: CONTROL } } } } } })).toEqual(
      new Map(),
    );
  });
});
