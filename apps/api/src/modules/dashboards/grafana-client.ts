import { z } from "zod";
import type { Config } from "../../config.ts";
import { AppError, ConflictError } from "../../errors.ts";

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
  health(): Promise<void>;
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
 * never an internal error; a missing dashboard is a 404 and a save conflict a 409.
 */
export function createGrafanaClient(config: GrafanaConfig): GrafanaClient {
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
    try {
      return await fetch(`${config.url}${path}`, {
        method,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${config.serviceAccountToken}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new AppError(
          504,
          "grafana_timeout",
          "Gateway timeout",
          `Grafana did not answer within ${config.timeoutMs} ms`,
        );
      }
      throw grafanaUnreachable();
    }
  }

  return {
    async health() {
      await call("GET", "/api/health");
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

/** 502 `grafana_unreachable`: no connection to Grafana (also the app's /grafana/ proxy's answer). */
export function grafanaUnreachable(): AppError {
  return new AppError(502, "grafana_unreachable", "Bad gateway", "Grafana could not be reached");
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
      "Grafana refused the service-account token; check GRAFANA_SERVICE_ACCOUNT_TOKEN and its role",
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
