/**
 * The API's side of Node-RED: calls to mashup endpoints (HTTP-in nodes, behind HTTP-node basic auth) and to the
 * admin API (flows), both with the service credential that only the API holds. Users' passwords never reach Node-RED.
 */
export interface NodeRedCredentials {
  baseUrl: string;
  httpRoot: string;
  user: string;
  password: string;
}

export interface MashupCall {
  /** The `url` of the flow's http-in node, e.g. `/backups-succeeded`. */
  path: string;
  body: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface MashupResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

/** A node as Node-RED's admin API lists it (`GET /flows`, v2 format). */
export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  label?: string;
  url?: string;
  method?: string;
  info?: string;
  disabled?: boolean;
  env?: { name: string; type?: string; value?: unknown }[];
  [key: string]: unknown;
}

/** Node-RED could not be reached, or did not answer in time: worth retrying. */
export class MashupUnreachableError extends Error {
  constructor(message: string, readonly isTimeout: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface NodeRedClient {
  readonly baseUrl: string;
  invokeMashup(call: MashupCall): Promise<MashupResponse>;
  listFlows(): Promise<FlowNode[]>;
  /** True when Node-RED answers its admin API. */
  ping(): Promise<void>;
  /** A short-lived admin-API bearer token for the service account (used by the editor hand-off). */
  adminToken(): Promise<string>;
}

const ADMIN_TOKEN_MARGIN_MS = 60_000;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!(response.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The HTTP client over Node-RED's HTTP nodes and admin API. */
export function createNodeRedClient(credentials: NodeRedCredentials): NodeRedClient {
  const basic = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  let token: { value: string; expiresAt: number } | undefined;

  async function fetchAdminToken(): Promise<string> {
    if (token && token.expiresAt - ADMIN_TOKEN_MARGIN_MS > Date.now()) return token.value;
    const response = await fetchOrThrow(`${credentials.baseUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: "node-red-admin", grant_type: "password", scope: "*", username: credentials.user, password: credentials.password }),
    }, 10_000);
    if (response.status === 404) return ""; // adminAuth is off: the admin API needs no token
    if (!response.ok) throw new MashupUnreachableError(`Node-RED refused the service credential (${response.status})`, false);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return token.value;
  }

  async function adminGet(path: string): Promise<Response> {
    const value = await fetchAdminToken();
    const response = await fetchOrThrow(`${credentials.baseUrl}${path}`, { headers: { ...(value ? { authorization: `Bearer ${value}` } : {}), "node-red-api-version": "v2" } }, 10_000);
    if (response.status === 401) token = undefined;
    if (!response.ok) throw new MashupUnreachableError(`Node-RED admin API answered ${response.status} for ${path}`, false);
    return response;
  }

  return {
    baseUrl: credentials.baseUrl,
    async invokeMashup(call) {
      const signal = call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(call.timeoutMs)]) : AbortSignal.timeout(call.timeoutMs);
      const response = await fetchOrThrow(`${credentials.baseUrl}${credentials.httpRoot}${call.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: basic },
        body: JSON.stringify(call.body),
        signal,
      }, call.timeoutMs);
      return { status: response.status, body: await readBody(response) };
    },
    async listFlows() {
      const body = (await (await adminGet("/flows")).json()) as { flows?: FlowNode[] } | FlowNode[];
      return Array.isArray(body) ? body : (body.flows ?? []);
    },
    async ping() {
      await adminGet("/settings");
    },
    adminToken: fetchAdminToken,
  };
}

async function fetchOrThrow(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const isTimeout = (error as Error).name === "TimeoutError";
    throw new MashupUnreachableError(isTimeout ? `Node-RED did not answer within ${timeoutMs} ms` : `Node-RED is unreachable: ${(error as Error).message}`, isTimeout, { cause: error });
  }
}
