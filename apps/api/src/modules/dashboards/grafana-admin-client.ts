import { z } from "zod";
import { AppError } from "../../errors.ts";
import { fetchFromGrafana } from "./grafana-fetch.ts";

/** Where Grafana is and how long a call may take. */
export interface GrafanaEndpoint {
  url: string;
  timeoutMs: number;
}

const ServiceAccountSchema = z.object({ id: z.number().int(), name: z.string() });
const SearchAnswerSchema = z.object({ serviceAccounts: z.array(ServiceAccountSchema) });
const TokenAnswerSchema = z.object({ id: z.number().int(), key: z.string().min(1) });

/**
 * Grafana's service-account API (`/api/serviceaccounts`), called with the admin's basic credentials: what STATUS needs
 * to make its own service account and token.
 */
export interface GrafanaAdminClient {
  findServiceAccount(name: string): Promise<{ id: number } | undefined>;
  createServiceAccount(name: string, role: "Admin" | "Editor"): Promise<{ id: number }>;
  createToken(serviceAccountId: number, name: string): Promise<{ id: number; key: string }>;
  /** Deletes a token; one Grafana no longer has is not an error. */
  deleteToken(serviceAccountId: number, tokenId: number): Promise<void>;
}

function send(endpoint: GrafanaEndpoint, path: string, init: RequestInit): Promise<Response> {
  return fetchFromGrafana(`${endpoint.url}${path}`, init, endpoint.timeoutMs);
}

/**
 * Whether Grafana takes `token` (a search any service account with a role may make): true, false on 401/403, and an
 * AppError when Grafana cannot answer.
 */
export async function isGrafanaTokenAccepted(endpoint: GrafanaEndpoint, token: string): Promise<boolean> {
  const response = await send(endpoint, "/api/search?limit=1", {
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status === 401 || response.status === 403) return false;
  if (!response.ok)
    throw new AppError(502, "grafana_unreachable", "Bad gateway", `Grafana answered ${response.status}`);
  return true;
}

export function createGrafanaAdminClient(
  endpoint: GrafanaEndpoint,
  admin: { user: string; password: string },
): GrafanaAdminClient {
  const authorization = `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString("base64")}`;

  async function call<T>(
    method: string,
    path: string,
    options: { body?: unknown; schema?: z.ZodType<T>; isMissingFine?: boolean } = {},
  ): Promise<T> {
    const response = await send(endpoint, path, {
      method,
      headers: {
        accept: "application/json",
        authorization,
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
    const text = await response.text().catch(() => "");
    if (response.status === 401 || response.status === 403) {
      throw new AppError(
        502,
        "grafana_auth_failed",
        "Bad gateway",
        "Grafana refused the admin credentials (GRAFANA_ADMIN_USER / GRAFANA_ADMIN_PASSWORD); they must be those of a Grafana server admin",
      );
    }
    if (response.status === 404 && options.isMissingFine) return undefined as T;
    if (!response.ok) {
      const answer = `${response.status}: ${text.slice(0, 200)}`;
      throw new AppError(502, "grafana_rejected", "Bad gateway", `Grafana answered ${method} ${path} with ${answer}`);
    }
    if (!options.schema) return undefined as T;
    const parsed = options.schema.safeParse(parseJson(text));
    if (!parsed.success) {
      const detail = `Grafana's answer to ${method} ${path.split("?")[0]} was not what its API documents`;
      throw new AppError(502, "grafana_unreachable", "Bad gateway", detail);
    }
    return parsed.data;
  }

  return {
    async findServiceAccount(name) {
      const query = new URLSearchParams({ query: name, perpage: "100", page: "1" });
      const answer = await call("GET", `/api/serviceaccounts/search?${query}`, { schema: SearchAnswerSchema });
      // The search matches names containing the query; only the exact name is ours.
      return answer.serviceAccounts.find((account) => account.name === name);
    },
    createServiceAccount(name, role) {
      return call("POST", "/api/serviceaccounts", {
        body: { name, role, isDisabled: false },
        schema: ServiceAccountSchema,
      });
    },
    createToken(serviceAccountId, name) {
      return call("POST", `/api/serviceaccounts/${serviceAccountId}/tokens`, {
        body: { name },
        schema: TokenAnswerSchema,
      });
    },
    async deleteToken(serviceAccountId, tokenId) {
      await call("DELETE", `/api/serviceaccounts/${serviceAccountId}/tokens/${tokenId}`, { isMissingFine: true });
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
