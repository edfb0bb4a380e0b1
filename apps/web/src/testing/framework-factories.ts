import {
  ControlRequirementMappingSchema,
  FrameworkComplianceSchema,
  FrameworkDetailSchema,
  FrameworkSchema,
  ImportJobSchema,
  ImportPreviewSchema,
  ImportResultSchema,
  LibraryFrameworkSchema,
  RequirementNodeSchema,
  type ControlRequirementMapping,
  type Framework,
  type FrameworkCompliance,
  type FrameworkDetail,
  type ImportJob,
  type ImportPreview,
  type ImportResult,
  type LibraryFramework,
  type RequirementCompliance,
  type RequirementNode,
  type StatusCounts,
} from "@status/shared";
import { nextId } from "./factories.ts";

// Frameworks (issue 16). Built objects go through the shared schemas, so a fixture that drifts fails the test.

export function buildFramework(overrides: Partial<Framework> = {}): Framework {
  return FrameworkSchema.parse({
    id: nextId(),
    name: "NIST SP 800-53 Rev 5 LOW",
    version: "5.1.1",
    description: "",
    source: "library",
    oscalVersion: "1.1.2",
    sourceUuid: null,
    resolvedFromId: null,
    requirementCount: 149,
    groupCount: 18,
    importedBy: null,
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildFrameworkDetail(overrides: Partial<FrameworkDetail> = {}): FrameworkDetail {
  return FrameworkDetailSchema.parse({
    ...buildFramework(),
    groups: [
      { id: "ac", title: "Access Control", parentId: null, requirementCount: 2 },
      { id: "cm", title: "Configuration Management", parentId: null, requirementCount: 1 },
    ],
    ...overrides,
  });
}

export function buildRequirementNode(overrides: Partial<RequirementNode> = {}): RequirementNode {
  return RequirementNodeSchema.parse({
    id: nextId(),
    frameworkId: nextId(),
    key: "ac-2",
    label: "AC-2",
    title: "Account Management",
    statement: "Define and document the types of accounts allowed.",
    guidance: "",
    groupId: "ac",
    groupTitle: "Access Control",
    parentKey: null,
    className: "SP800-53",
    position: 0,
    params: [],
    depth: 0,
    isMatch: true,
    children: [],
    ...overrides,
  });
}

export function buildLibraryFramework(overrides: Partial<LibraryFramework> = {}): LibraryFramework {
  return LibraryFrameworkSchema.parse({
    name: "nist-800-53-rev5-low",
    title: "NIST SP 800-53 Rev 5 LOW baseline",
    version: "5.1.1",
    description: "The LOW baseline resolved to a catalog.",
    oscalVersion: "1.1.2",
    requirementCount: 149,
    groupCount: 18,
    installedFrameworkId: null,
    ...overrides,
  });
}

const COUNTS = {
  requirements: 3,
  topLevel: 2,
  children: 1,
  groups: 1,
  params: 0,
  created: 3,
  updated: 0,
  unchanged: 0,
};

export function buildImportPreview(overrides: Partial<ImportPreview> = {}): ImportPreview {
  return ImportPreviewSchema.parse({
    dryRun: true,
    framework: { name: "SOC 2", version: "2017", source: "csv", oscalVersion: null, existingFrameworkId: null },
    counts: COUNTS,
    firstRequirements: [
      {
        key: "CC8.1",
        label: null,
        title: "Change management",
        statement: "Changes are authorised.",
        guidance: "",
        groupId: "CC8",
        parentKey: null,
        className: null,
        position: 0,
        params: [],
      },
    ],
    problems: [],
    canImport: true,
    ...overrides,
  });
}

export function buildImportResult(framework: Framework = buildFramework()): ImportResult {
  return ImportResultSchema.parse({ dryRun: false, framework, counts: COUNTS, problems: [] });
}

export function buildImportJob(overrides: Partial<ImportJob> = {}): ImportJob {
  return ImportJobSchema.parse({
    id: nextId(),
    status: "running",
    format: "oscal-catalog",
    bodyBytes: 3_000_000,
    attempts: 1,
    processed: 0,
    total: null,
    result: null,
    problem: null,
    createdBy: null,
    createdAt: "2026-12-01T10:00:00.000Z",
    startedAt: "2026-12-01T10:00:01.000Z",
    finishedAt: null,
    ...overrides,
  });
}

export function buildMapping(overrides: Partial<ControlRequirementMapping> = {}): ControlRequirementMapping {
  return ControlRequirementMappingSchema.parse({
    id: nextId(),
    controlId: nextId(),
    requirementId: nextId(),
    frameworkId: nextId(),
    frameworkName: "NIST SP 800-53 Rev 5 LOW",
    frameworkVersion: "5.1.1",
    requirementKey: "ac-2",
    requirementLabel: "AC-2",
    requirementTitle: "Account Management",
    relationship: "subset-of",
    rationale: "Reviews cover accounts of the CI system only",
    createdBy: null,
    createdAt: "2025-01-02T10:00:00Z",
    ...overrides,
  });
}

export function buildStatusCounts(overrides: Partial<StatusCounts> = {}): StatusCounts {
  return { total: 0, satisfied: 0, notSatisfied: 0, notAssessed: 0, mapped: 0, ...overrides };
}

export function buildRequirementCompliance(overrides: Partial<RequirementCompliance> = {}): RequirementCompliance {
  return {
    requirementId: nextId(),
    key: "ac-2",
    label: "AC-2",
    title: "Account Management",
    groupId: "ac",
    parentKey: null,
    status: "not-assessed",
    controls: [],
    ...overrides,
  };
}

export function buildFrameworkCompliance(overrides: Partial<FrameworkCompliance> = {}): FrameworkCompliance {
  return FrameworkComplianceSchema.parse({
    frameworkId: nextId(),
    from: "2025-05-01T00:00:00Z",
    to: "2025-06-01T00:00:00Z",
    catalogId: null,
    overall: buildStatusCounts(),
    groups: [],
    requirements: [],
    ...overrides,
  });
}
