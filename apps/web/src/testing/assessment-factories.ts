import {
  EvidencePackSchema,
  SoaRowSchema,
  StatementOfApplicabilitySchema,
  type EvidencePack,
  type SoaRow,
  type StatementOfApplicability,
} from "@status/shared";
import { nextId } from "./factories.ts";

// Auditors' exports (issue 17). Built objects go through the shared schemas, so a fixture that drifts fails the test.

export function buildEvidencePack(overrides: Partial<EvidencePack> = {}): EvidencePack {
  return EvidencePackSchema.parse({
    id: nextId(),
    catalogId: nextId(),
    from: "2026-07-01T00:00:00+02:00",
    to: "2026-10-01T00:00:00+02:00",
    status: "queued",
    progress: 0,
    stage: "queued",
    attempts: 0,
    sizeBytes: null,
    sha256: null,
    manifestSha256: null,
    pointCount: null,
    error: null,
    requestedBy: null,
    createdAt: "2026-10-02T08:00:00Z",
    completedAt: null,
    ...overrides,
  });
}

/** A pack as the worker leaves it when it has finished. */
export function buildDonePack(overrides: Partial<EvidencePack> = {}): EvidencePack {
  return buildEvidencePack({
    status: "done",
    progress: 100,
    stage: "done",
    attempts: 1,
    sizeBytes: 1_234_567,
    sha256: "a".repeat(12) + "b".repeat(52),
    manifestSha256: "c".repeat(12) + "d".repeat(52),
    pointCount: 1840,
    completedAt: "2026-10-02T08:01:00Z",
    ...overrides,
  });
}

export function buildSoaRow(overrides: Partial<SoaRow> = {}): SoaRow {
  return SoaRowSchema.parse({
    requirementId: nextId(),
    requirementKey: "A.5.15",
    title: "Access control",
    groupKey: "A.5",
    isApplicable: true,
    justification: null,
    decidedAt: null,
    controls: [],
    ...overrides,
  });
}

export function buildStatementOfApplicability(
  overrides: Partial<StatementOfApplicability> = {},
): StatementOfApplicability {
  return StatementOfApplicabilitySchema.parse({
    frameworkId: nextId(),
    frameworkName: "ISO/IEC 27001",
    frameworkVersion: "2022",
    rows: [buildSoaRow()],
    ...overrides,
  });
}
