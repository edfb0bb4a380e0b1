import { z } from "zod";
import type { Config } from "../../config.ts";
import { AppError, ConflictError } from "../../errors.ts";
import type { GrafanaCredentials } from "./grafana-credentials.ts";
import { fetchFromGrafana } from "./grafana-fetch.ts";

type GrafanaConfig = Extract<Config["grafana"], { isEnabled: true }>;

/** A search hit of `GET /api/search?type=dash-db` (Grafana's shape; fields we do not use are ignored). */
const SearchHitSchema = z.object({
  uid: z.string(),
  title: z.string(),
  type: z.string().optional(),
  tags: z.array(z.string()).default([]),
  folderUid: z.string().optional(),
  folderTitle: z.string().optional(),
});
export type GrafanaSearchHit = z.infer<typeof SearchHitSchema>;

const DashboardAnswerSchema = z.object({
  dashboard: z.looseObject({ title: z.string(), uid: z.string().optional(), version: z.number().int().optional() }),
  meta: z.looseObject({
    folderUid: z.string().optional(),
    folderTitle: z.string().optional(),
    version: z.number().int().optional(),
    updated: z.string().optional(),
  }),
});
export type GrafanaDashboard = z.infer<typeof DashboardAnswerSchema>;

const SaveAnswerSchema = z.object({
  id: z.number(),
  uid: z.string(),
  url: z.string(),
  status: z.string(),
  version: z.number().int(),
});
export type GrafanaSaveAnswer = z.infer<typeof SaveAnswerSchema>;

const HealthSchema = z.object({ version: z.string().optional(), database: z.string().optional() });
export type GrafanaHealth = z.infer<typeof HealthSchema>;

const FolderSchema = z.object({ uid: z.string(), title: z.string() });
export type GrafanaFolder = z.infer<typeof FolderSchema>;

export interface SaveDashboardInput {
  dashboard: Record<string, unknown>;
  folderUid: string | null;
  overwrite: boolean;
  message: string;
}

/** The calls STATUS makes to Grafana's HTTP API, with the service-account token. */
export interface GrafanaClient {
  /** Grafana's own health answer (no credential needed): its version and database state. */
  health(): Promise<GrafanaHealth>;
  /** Whether Grafana takes STATUS's token (replacing a revoked managed one); throws the usual AppErrors otherwise. */
  verifyAccess(): Promise<void>;
  searchDashboards(filter: { query?: string | undefined; folderUid?: string | undefined }): Promise<GrafanaSearchHit[]>;
  getDashboard(uid: string): Promise<GrafanaDashboard>;
  saveDashboard(input: SaveDashboardInput): Promise<GrafanaSaveAnswer>;
  deleteDashboard(uid: string): Promise<void>;
  listFolders(): Promise<GrafanaFolder[]>;
  getFolder(uid: string): Promise<GrafanaFolder>;
  createFolder(title: string): Promise<GrafanaFolder>;
  deleteFolder(uid: string): Promise<void>;
}

// Grafana's search answers at most 5000 hits; STATUS pages them itself.
const SEARCH_LIMIT = 5000;
const FOLDER_LIMIT = 1000;

/**
 * Grafana's error body: `{message}`, and `{status}` on a 412 (`version-mismatch`, `name-exists`, `plugin-dashboard`).
 */
const GrafanaErrorSchema = z.object({ message: z.string().optional(), status: z.string().optional() });

/**
 * Grafana's HTTP API through fetch, with a timeout on every call. Every failure becomes an AppError with a stable
 * code: an unreachable or slow Grafana, or one that refuses our token, is a gateway problem (5xx other than 500),
 * never an internal error; a missing dashboard is a 404 and a save conflict a 409. A token Grafana refuses (401) is
 * replaced once when STATUS manages it (it was revoked), and the call is made again with the new one.
 */
export function createGrafanaClient(config: GrafanaConfig, credentials: GrafanaCredentials): GrafanaClient {
  async function call<T>(
    method: string,
    path: string,
    options: { body?: unknown; schema?: z.ZodType<T>; resource?: string } = {},
  ): Promise<T> {
    const response = await send(method, path, options.body);
    const text = await response.text().catch(() => "");
    if (!response.ok) throw errorFor(response.status, text, options.resource ?? "resource");
    if (!options.schema) return undefined as T;
    const parsed = options.schema.safeParse(parseJson(text));
    if (!parsed.success)
      throw new AppError(
        502,
        "grafana_unreachable",
        "Bad gateway",
        `Grafana's answer to ${method} ${path.split("?")[0]} was not what its API documents`,
      );
    return parsed.data;
  }

  async function send(method: string, path: string, body: unknown): Promise<Response> {
    const token = await credentials.token();
    const response = await sendWith(token, method, path, body);
    if (response.status !== 401 || !credentials.refused(token)) return response;
    await response.arrayBuffer().catch(() => undefined);
    return sendWith(await credentials.token(), method, path, body);
  }

  function sendWith(token: string, method: string, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const init = { method, headers, body: body === undefined ? null : JSON.stringify(body) };
    return fetchFromGrafana(`${config.url}${path}`, init, config.timeoutMs);
  }

  return {
    health() {
      return getGrafanaHealth(config);
    },
    async verifyAccess() {
      await call("GET", "/api/search?limit=1");
    },
    searchDashboards({ query, folderUid }) {
      const params = new URLSearchParams({ type: "dash-db", query: query ?? "", limit: String(SEARCH_LIMIT) });
      if (folderUid) params.set("folderUIDs", folderUid);
      return call("GET", `/api/search?${params}`, { schema: z.array(SearchHitSchema) });
    },
    getDashboard(uid) {
      return call("GET", `/api/dashboards/uid/${encodeURIComponent(uid)}`, {
        schema: DashboardAnswerSchema,
        resource: "dashboard",
      });
    },
    saveDashboard({ dashboard, folderUid, overwrite, message }) {
      const body = { dashboard, overwrite, message, ...(folderUid ? { folderUid } : {}) };
      return call("POST", "/api/dashboards/db", { body, schema: SaveAnswerSchema, resource: "folder" });
    },
    async deleteDashboard(uid) {
      await call("DELETE", `/api/dashboards/uid/${encodeURIComponent(uid)}`, { resource: "dashboard" });
    },
    listFolders() {
      return call("GET", `/api/folders?limit=${FOLDER_LIMIT}`, { schema: z.array(FolderSchema) });
    },
    getFolder(uid) {
      return call("GET", `/api/folders/${encodeURIComponent(uid)}`, { schema: FolderSchema, resource: "folder" });
    },
    createFolder(title) {
      return call("POST", "/api/folders", { body: { title }, schema: FolderSchema });
    },
    async deleteFolder(uid) {
      await call("DELETE", `/api/folders/${encodeURIComponent(uid)}`, { resource: "folder" });
    },
  };
}

/** `GET /api/health`, which Grafana answers without credentials: what the system health shows before any token. */
export async function getGrafanaHealth(config: { url: string; timeoutMs: number }): Promise<GrafanaHealth> {
  const init = { headers: { accept: "application/json" } };
  const response = await fetchFromGrafana(`${config.url}/api/health`, init, config.timeoutMs);
  const text = await response.text().catch(() => "");
  if (!response.ok)
    throw new AppError(502, "grafana_unreachable", "Bad gateway", `Grafana answered ${response.status}`);
  return HealthSchema.safeParse(parseJson(text)).data ?? {};
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Grafana's answer as a problem: what the client may fix is 4xx, what only the operator can fix is 502. */
function errorFor(status: number, text: string, resource: string): AppError {
  const body = GrafanaErrorSchema.safeParse(parseJson(text)).data ?? {};
  const message = body.message?.slice(0, 300);
  if (status === 401 || status === 403) {
    return new AppError(
      502,
      "grafana_auth_failed",
      "Bad gateway",
      "Grafana refused STATUS's service-account token; check GRAFANA_SERVICE_ACCOUNT_TOKEN (or GRAFANA_ADMIN_PASSWORD) and its role",
    );
  }
  if (status === 404) return new AppError(404, "not_found", "Resource not found", `Grafana has no such ${resource}`);
  if (status === 412 && body.status === "version-mismatch") {
    return new ConflictError(
      "dashboard_version_conflict",
      "The dashboard changed in Grafana since this version; import with overwrite to replace it",
    );
  }
  if (status === 412)
    return new ConflictError(
      "dashboard_exists",
      message ?? "A dashboard with this uid or title exists; import with overwrite to replace it",
    );
  if (status === 409) return new ConflictError("duplicate", message ?? "Grafana has one of these already");
  if (status >= 400 && status < 500)
    return new AppError(
      422,
      "grafana_rejected",
      "Grafana refused the request",
      message ?? `Grafana answered ${status}`,
    );
  return new AppError(502, "grafana_unreachable", "Bad gateway", `Grafana answered ${status}`);
}
