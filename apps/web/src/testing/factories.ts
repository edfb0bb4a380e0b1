import {
  AiSettingsSchema,
  AssistantSchema,
  ConversationSchema,
  MessageSchema,
  type AiSettings,
  type Assistant,
  type Conversation,
  type Message,
  ApiTokenSchema,
  UserSessionSchema,
  type UserSession,
  AuditEntrySchema,
  CatalogSchema,
  ChainVerificationSchema,
  ComputationDetailSchema,
  ComputationSchema,
  ControlSchema,
  ControlVersionSchema,
  NextControlVersionSchema,
  DashboardDetailSchema,
  DashboardSummarySchema,
  ControlStateSchema,
  MashupSchema,
  EvidenceSchema,
  MeSchema,
  PointSchema,
  RunBatchSchema,
  RunSchema,
  ScopeSchema,
  ScopeSetSchema,
  UserSchema,
  type ApiToken,
  type AuditEntry,
  type Catalog,
  type ChainVerification,
  type Computation,
  type ComputationDetail,
  type Control,
  type ControlVersion,
  type NextControlVersion,
  type DashboardDetail,
  type DashboardSummary,
  type ControlState,
  type Mashup,
  type Evidence,
  type Me,
  type Page,
  type Point,
  type Run,
  type RunBatch,
  type Scope,
  type ScopeSet,
  type User,
} from "@status/shared";

// Built objects go through the shared schemas, so a fixture that drifts from the contract fails the test.

let sequence = 0;
/** A point nobody has acknowledged, excepted or commented on. */
export const NO_HANDLING = { acknowledged: null, exception: null, commentCount: 0 } as const;

export function nextId(): string {
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
    firstDayOfWeek: 1,
    status: "draft",
    finalizedAt: null,
    controlCount: 0,
    archive: null,
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
    kind: "mashup",
    mashupId: "pr-review",
    params: {},
    threshold: 95,
    status: "draft",
    // A finalized control has a version from the moment it is finalized; a draft has none.
    version: overrides.status === "finalized" ? 1 : null,
    staleGraceMinutes: null,
    scopeSetCount: 2,
    archive: null,
    isCatalogArchived: false,
    owner: null,
    watchers: [],
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildControlVersion(overrides: Partial<ControlVersion> = {}): ControlVersion {
  return ControlVersionSchema.parse({
    controlId: nextId(),
    version: 1,
    period: "MONTHLY",
    threshold: 95,
    mashupId: "pr-review",
    params: {},
    scopeSets: [],
    effectiveFrom: null,
    effectiveUntil: null,
    isSupersededBeforeEffect: false,
    reason: "Finalized: the first version",
    createdById: nextId(),
    createdByName: "dana",
    createdAt: "2025-01-03T10:00:00Z",
    digest: "d".repeat(64),
    isCurrent: true,
    pointCount: 0,
    changes: [],
    ...overrides,
  });
}

export function buildNextControlVersion(overrides: Partial<NextControlVersion> = {}): NextControlVersion {
  return NextControlVersionSchema.parse({
    controlId: nextId(),
    isVersioned: true,
    currentVersion: 1,
    nextVersion: 2,
    effectiveFrom: "2025-06-01T00:00:00+02:00",
    evaluatedThrough: "2025-06-01T00:00:00+02:00",
    ...overrides,
  });
}

export function buildPage<T>(items: T[], overrides: Partial<Page<T>> = {}): Page<T> {
  return { items, total: items.length, page: 1, pageSize: 25, ...overrides };
}

export function buildScopeSet(overrides: Partial<ScopeSet> = {}): ScopeSet {
  return ScopeSetSchema.parse({
    id: nextId(),
    controlId: nextId(),
    values: { org: "acme", repository: "*" },
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildComputation(overrides: Partial<Computation> = {}): Computation {
  return ComputationSchema.parse({
    id: nextId(),
    runId: nextId(),
    controlId: nextId(),
    scope: { org: "acme" },
    windowStart: "2025-05-01T00:00:00+02:00",
    windowEnd: "2025-06-01T00:00:00+02:00",
    isProvisional: false,
    status: "ready",
    flowValue: null,
    evidenceCount: 4,
    passCount: 3,
    failCount: 1,
    errorCount: 0,
    notApplicableCount: 0,
    compliance: 75,
    result: "fail",
    controlVersion: 1,
    pointId: nextId(),
    handling: NO_HANDLING,
    recording: "recorded",
    createdAt: "2025-06-01T00:05:00Z",
    completedAt: "2025-06-01T00:06:00Z",
    detailPrunedAt: null,
    ...overrides,
  });
}

export function buildEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return EvidenceSchema.parse({
    position: 0,
    key: "acme/api#1",
    value: { reviewed: true },
    result: "pass",
    from: "2025-05-02T10:00:00Z",
    to: "2025-05-02T12:00:00Z",
    ...overrides,
  });
}

export function buildComputationDetail(
  computation: Computation = buildComputation(),
  evidences: Evidence[] = [buildEvidence()],
): ComputationDetail {
  return ComputationDetailSchema.parse({ ...computation, evidences, code: 200, message: "OK", computations: [] });
}

export function buildPoint(overrides: Partial<Point> = {}): Point {
  return PointSchema.parse({
    id: nextId(),
    controlId: nextId(),
    catalogId: nextId(),
    source: "engine",
    scope: { org: "acme" },
    windowStart: "2025-05-01T00:00:00+02:00",
    windowEnd: "2025-06-01T00:00:00+02:00",
    value: 100,
    threshold: 95,
    result: "pass",
    computationId: nextId(),
    controlVersion: 1,
    hashScheme: 2,
    hash: "a".repeat(64),
    prevHash: null,
    createdAt: "2025-06-01T00:06:00Z",
    handling: NO_HANDLING,
    ...overrides,
  });
}

export function buildChainVerification(overrides: Partial<ChainVerification> = {}): ChainVerification {
  return ChainVerificationSchema.parse({
    controlId: nextId(),
    isIntact: true,
    pointCount: 3,
    pointsByHashScheme: { 2: 3 },
    versionCount: 1,
    checkedAt: "2025-06-02T08:00:00Z",
    firstBrokenPointId: null,
    problem: null,
    ...overrides,
  });
}

export function buildRun(overrides: Partial<Run> = {}): Run {
  return RunSchema.parse({
    id: nextId(),
    batchId: nextId(),
    controlId: nextId(),
    catalogId: nextId(),
    controlName: "Pull requests are reviewed",
    period: "MONTHLY",
    scopeSetId: null,
    scope: {},
    windowStart: "2025-05-01T00:00:00+02:00",
    windowEnd: "2025-06-01T00:00:00+02:00",
    isProvisional: false,
    trigger: "manual",
    status: "queued",
    attempts: 0,
    maxAttempts: 3,
    nextAttemptAt: "2025-06-01T00:00:00Z",
    queuedAt: "2025-06-01T00:00:00Z",
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    computationId: null,
    requestedBy: null,
    createdAt: "2025-06-01T00:00:00Z",
    ...overrides,
  });
}

type RunBatchOverrides = Partial<Omit<RunBatch, "counts">> & { counts?: Partial<RunBatch["counts"]> };

/** A batch whose progress and isDone follow from its counts unless given. */
export function buildRunBatch({ counts: countOverrides, ...overrides }: RunBatchOverrides = {}): RunBatch {
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, error: 0, cancelled: 0, ...countOverrides };
  const runCount = overrides.runCount ?? Object.values(counts).reduce((sum, count) => sum + count, 0);
  const finished = counts.succeeded + counts.failed + counts.error + counts.cancelled;
  return RunBatchSchema.parse({
    id: nextId(),
    catalogId: null,
    controlId: nextId(),
    trigger: "manual",
    runCount,
    counts,
    progress: runCount === 0 ? 1 : finished / runCount,
    isDone: finished === runCount,
    createdAt: "2025-06-01T00:00:00Z",
    ...overrides,
  });
}

export function buildScope(overrides: Partial<Scope> = {}): Scope {
  return ScopeSchema.parse({
    id: nextId(),
    name: "repository",
    description: "A GitHub repository",
    type: "string",
    defaultValue: "*",
    allowedValues: null,
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildApiToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return ApiTokenSchema.parse({
    id: nextId(),
    name: "CI pipeline",
    prefix: "st_abc123",
    expiresAt: "2999-01-01T00:00:00Z",
    lastUsedAt: null,
    revokedAt: null,
    createdAt: "2025-01-02T10:00:00Z",
    ...overrides,
  });
}

export function buildUser(overrides: Partial<User> = {}): User {
  return UserSchema.parse({
    id: nextId(),
    username: "uma",
    email: "uma@example.test",
    displayName: "Uma User",
    role: "USER",
    isDisabled: false,
    githubLogin: null,
    lastLoginAt: null,
    createdAt: "2025-01-02T10:00:00Z",
    updatedAt: "2025-01-03T10:00:00Z",
    ...overrides,
  });
}

export function buildAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return AuditEntrySchema.parse({
    id: "1",
    at: "2025-06-01T10:00:00Z",
    actorId: nextId(),
    actorName: "ada",
    action: "update",
    resourceType: "catalog",
    resourceId: nextId(),
    before: { name: "Old" },
    after: { name: "New" },
    requestId: "req_1",
    ...overrides,
  });
}

export function buildDashboardSummary(overrides: Partial<DashboardSummary> = {}): DashboardSummary {
  const uid = overrides.uid ?? `dash${sequence + 1}`;
  sequence += 1;
  return DashboardSummarySchema.parse({
    uid,
    title: "Catalog compliance",
    url: `/grafana/d/${uid}`,
    folderUid: null,
    folderTitle: null,
    tags: ["status"],
    ...overrides,
  });
}

export function buildAssistant(overrides: Partial<Assistant> = {}): Assistant {
  return AssistantSchema.parse({
    id: nextId(),
    name: "Compliance helper",
    description: "Answers questions about failing controls",
    instructions: "Be precise.",
    model: null,
    tools: ["list_failing_controls", "get_control_evidence"],
    isEnabled: true,
    documentCount: 0,
    createdAt: "2025-06-01T10:00:00Z",
    updatedAt: "2025-06-01T10:00:00Z",
    ...overrides,
  });
}

export function buildMashup(overrides: Partial<Mashup> = {}): Mashup {
  return MashupSchema.parse({
    id: "pull-requests-reviewed",
    name: "Pull requests are reviewed",
    description: "Every merged pull request has at least minApprovals approvals.",
    url: "/pull-requests-reviewed",
    method: "POST",
    inputs: [{ name: "minApprovals", type: "number", default: 1 }],
    evidence: [],
    evidenceIssues: [],
    ...overrides,
  });
}

export function buildConversation(overrides: Partial<Conversation> = {}): Conversation {
  return ConversationSchema.parse({
    id: nextId(),
    assistantId: nextId(),
    title: "Failing controls",
    isArchived: false,
    messageCount: 0,
    createdAt: "2025-06-02T10:00:00Z",
    updatedAt: "2025-06-02T10:00:00Z",
    ...overrides,
  });
}

export function buildDashboardDetail(
  overrides: { uid?: string; title?: string; panels?: DashboardDetail["panels"] } = {},
): DashboardDetail {
  const uid = overrides.uid ?? "dash-detail";
  const panels = overrides.panels ?? [
    { id: 1, title: "Compliance per day (%)", type: "timeseries" },
    { id: 2, title: "Points evaluated", type: "stat" },
  ];
  return DashboardDetailSchema.parse({
    dashboard: {
      uid,
      title: overrides.title ?? "Catalog compliance",
      version: 2,
      panels: panels.map((panel) => ({ ...panel, targets: [] })),
    },
    meta: {
      url: `/grafana/d/${uid}`,
      folderUid: null,
      folderTitle: null,
      version: 2,
      updated: "2025-06-01T10:00:00Z",
      embedPath: `/grafana/d-solo/${uid}`,
    },
    panels,
  });
}

export function buildControlState(overrides: Partial<ControlState> = {}): ControlState {
  return ControlStateSchema.parse({
    controlId: nextId(),
    state: overrides.lastPoint
      ? { pass: "passing", fail: "failing", not_applicable: "not_applicable" }[overrides.lastPoint.result]
      : "not_evaluated",
    staleAt: null,
    lastEvaluatedAt: overrides.lastPoint ? overrides.lastPoint.windowEnd : null,
    lastPoint: null,
    failingScopes: 0,
    lastRun: null,
    nextRun: null,
    ...overrides,
  });
}

export function buildMessage(overrides: Partial<Message> = {}): Message {
  return MessageSchema.parse({
    id: nextId(),
    conversationId: nextId(),
    role: "user",
    content: "Which controls failed last month?",
    toolCalls: [],
    toolCallId: null,
    toolName: null,
    toolSummary: null,
    isToolError: false,
    citations: { controls: [], computations: [], documents: [] },
    draftFlow: null,
    model: null,
    promptTokens: 0,
    completionTokens: 0,
    createdAt: "2025-06-02T10:00:00Z",
    ...overrides,
  });
}

export function buildAiSettings(overrides: Partial<AiSettings> = {}): AiSettings {
  return AiSettingsSchema.parse({
    apiKeySet: true,
    apiKeySource: "settings",
    apiKeyLast4: "9xQz",
    baseUrl: null,
    defaultModel: "gpt-4o-mini",
    dailyRequestLimit: 200,
    dailyTokenLimit: 500000,
    updatedAt: "2025-06-01T10:00:00Z",
    ...overrides,
  });
}

export function buildUserSession(overrides: Partial<UserSession> = {}): UserSession {
  return UserSessionSchema.parse({
    id: nextId(),
    authMethod: "password",
    deviceLabel: "Firefox on Linux",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ipAddress: "198.51.100.7",
    createdAt: "2025-01-02T10:00:00Z",
    lastUsedAt: "2025-01-03T10:00:00Z",
    expiresAt: "2025-01-17T10:00:00Z",
    secondFactorVerified: false,
    isCurrent: false,
    ...overrides,
  });
}
