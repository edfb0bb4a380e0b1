import {
  CatalogSchema,
  ControlSchema,
  MeSchema,
  type Catalog,
  type Control,
  type Me,
  type Page,
} from "@status/shared";

// Built objects go through the shared schemas, so a fixture that drifts from the contract fails the test.

let sequence = 0;
function nextId(): string {
  sequence += 1;
  return `00000000-0000-4000-8000-${sequence.toString().padStart(12, "0")}`;
}

export function buildMe(overrides: Partial<Me> = {}): Me {
  return MeSchema.parse({
    id: nextId(),
    username: "dana",
    email: "dana@example.test",
    displayName: "Dana Developer",
    role: "DEVELOPER",
    githubLogin: null,
    authMethod: "session",
    ...overrides,
  });
}

export function buildCatalog(overrides: Partial<Catalog> = {}): Catalog {
  return CatalogSchema.parse({
    id: nextId(),
    name: "ISO 27001 controls",
    description: "Access reviews and change management",
    startDate: "2025-01-01T00:00:00+01:00",
    endDate: "2026-01-01T00:00:00+01:00",
    timeZone: "Europe/Madrid",
    status: "draft",
    finalizedAt: null,
    controlCount: 0,
    createdBy: null,
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildControl(overrides: Partial<Control> = {}): Control {
  return ControlSchema.parse({
    id: nextId(),
    catalogId: nextId(),
    name: "Pull requests are reviewed",
    description: "",
    period: "MONTHLY",
    startDate: null,
    endDate: null,
    mashupId: "pr-review",
    params: {},
    threshold: 95,
    status: "draft",
    scopeSetCount: 2,
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildPage<T>(items: T[], overrides: Partial<Page<T>> = {}): Page<T> {
  return { items, total: items.length, page: 1, pageSize: 25, ...overrides };
}
