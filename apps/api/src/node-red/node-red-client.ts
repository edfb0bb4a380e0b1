import http from "node:http";
import https from "node:https";
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
  /** A tab switched off in the editor. */
  disabled?: boolean;
  /** A node switched off in the editor (Node-RED calls it `d`). */
  d?: boolean;
  env?: { name: string; type?: string; value?: unknown }[];
  [key: string]: unknown;
}

/** Node-RED could not be reached, or did not answer in time: worth retrying. */
export class MashupUnreachableError extends Error {
  constructor(
    message: string,
    readonly isTimeout: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface NodeRedClient {
  readonly baseUrl: string;
  invokeMashup(call: MashupCall): Promise<MashupResponse>;
  listFlows(): Promise<FlowNode[]>;
  /** True when Node-RED answers its admin API. */
  ping(): Promise<void>;
  /** Node-RED's version from its admin API's settings (which also proves it answers); for the system health. */
  version?(): Promise<string | null>;
  /**
   * A new admin-API bearer token of the service account, for the editor hand-off. Each call opens a Node-RED session
   * of its own, so signing out of the editor revokes that session only, never the API's.
   */
  adminToken(): Promise<string>;
}

const ADMIN_TOKEN_MARGIN_MS = 60_000;
/** Parsed mashup targets kept per client (see invokeMashup). */
const MAX_CACHED_TARGETS = 1_000;

function parseBody(text: string, contentType: string): unknown {
  if (!contentType.includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Mashup calls are the engine's hot path: node:http over kept-alive sockets costs a fraction of fetch's streams,
// abort signals and chunked writes (header and body leave in one write).
// Idle sockets are dropped after 4 s, before Node-RED's server closes them (5 s keep-alive timeout), so a call
// never goes out on a socket the server is closing.
// A worker may hold thousands of calls to slow flows at once (MASHUP_CONCURRENCY): as many sockets stay open
// between waves instead of the default 256, so a wave does not open new connections (idle ones still go after 4 s).
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000, maxFreeSockets: 20_000 };
const httpAgent = new http.Agent(AGENT_OPTIONS);
const httpsAgent = new https.Agent(AGENT_OPTIONS);

/** Where a mashup's calls go, parsed once per path (not a URL and its request options per call). */
interface MashupTarget {
  isHttps: boolean;
  hostname: string;
  port: string;
  path: string;
}

function mashupTarget(url: URL): MashupTarget {
  return {
    isHttps: url.protocol === "https:",
    // node:http wants an IPv6 literal without the URL's brackets.
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
  };
}

/** POSTs a JSON text and reads the answer with parseBody; unreachable or too slow → MashupUnreachableError. */
function postJson(
  target: MashupTarget,
  authorization: string,
  body: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<MashupResponse> {
  return new Promise((resolve, reject) => {
    const { isHttps } = target;
    let isDone = false;
    const fail = (error: Error, isTimeout: boolean) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      reject(
        new MashupUnreachableError(
          isTimeout ? `Node-RED did not answer within ${timeoutMs} ms` : `Node-RED is unreachable: ${error.message}`,
          isTimeout,
          { cause: error },
        ),
      );
    };
    const request = (isHttps ? https : http).request(
      {
        method: "POST",
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        agent: isHttps ? httpsAgent : httpAgent,
        // The text goes out as is (no Buffer copy of it): its length in bytes, not characters.
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => fail(error, false));
        response.on("end", () => {
          if (isDone) return;
          isDone = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 0, body: parseBody(text, response.headers["content-type"] ?? "") });
        });
      },
    );
    const timer = setTimeout(() => {
      fail(new Error("timeout"), true);
      request.destroy();
    }, timeoutMs);
    const onAbort = () => {
      fail(new Error("This operation was aborted"), false);
      request.destroy();
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => fail(error, false));
    request.end(body);
  });
}

/**
 * The HTTP client over Node-RED's HTTP nodes and admin API. With `areFlowsStarted` (the embedded Node-RED, whose
 * supervisor knows), a Node-RED still starting its flows is reported unreachable instead of being called: its admin
 * API answers already, but its mashups would answer 404.
 */
export function createNodeRedClient(
  credentials: NodeRedCredentials,
  options: { areFlowsStarted?: () => boolean } = {},
): NodeRedClient {
  const basic = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  let token: { value: string; expiresAt: number } | undefined;
  let pendingToken: Promise<string> | undefined;
  const targets = new Map<string, MashupTarget>();

  async function requestToken(): Promise<{ value: string; expiresInSeconds: number }> {
    const response = await fetchOrThrow(
      `${credentials.baseUrl}/auth/token`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_id: "node-red-admin",
          grant_type: "password",
          scope: "*",
          username: credentials.user,
          password: credentials.password,
        }),
      },
      10_000,
    );
    if (response.status === 404) return { value: "", expiresInSeconds: Number.POSITIVE_INFINITY }; // adminAuth is off: no token needed
    if (!response.ok)
      throw new MashupUnreachableError(`Node-RED refused the service credential (${response.status})`, false);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    return { value: body.access_token, expiresInSeconds: body.expires_in };
  }

  // Node-RED locks an account after five password exchanges in flight or failed within ten minutes, so the API
  // keeps one token and never asks for two at once.
  async function serviceToken(): Promise<string> {
    if (token && token.expiresAt - ADMIN_TOKEN_MARGIN_MS > Date.now()) return token.value;
    pendingToken ??= requestToken()
      .then((issued) => {
        token = { value: issued.value, expiresAt: Date.now() + issued.expiresInSeconds * 1000 };
        return issued.value;
      })
      .finally(() => {
        pendingToken = undefined;
      });
    return pendingToken;
  }

  function assertFlowsStarted(): void {
    if (options.areFlowsStarted && !options.areFlowsStarted())
      throw new MashupUnreachableError("Node-RED is starting: its flows are not loaded yet", false);
  }

  async function adminGet(path: string): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      const value = await serviceToken();
      const response = await fetchOrThrow(
        `${credentials.baseUrl}${path}`,
        { headers: { ...(value ? { authorization: `Bearer ${value}` } : {}), "node-red-api-version": "v2" } },
        10_000,
      );
      // A token revoked or expired early (Node-RED restarted with other sessions): ask for a new one once.
      if (response.status === 401 && attempt === 1) {
        token = undefined;
        continue;
      }
      if (!response.ok)
        throw new MashupUnreachableError(`Node-RED admin API answered ${response.status} for ${path}`, false);
      return response;
    }
  }

  return {
    baseUrl: credentials.baseUrl,
    async invokeMashup(call) {
      assertFlowsStarted();
      let target = targets.get(call.path);
      if (!target) {
        // Paths are the mashups' own (a handful); the bound only keeps a stream of odd paths from growing the map.
        if (targets.size >= MAX_CACHED_TARGETS) targets.clear();
        target = mashupTarget(new URL(`${credentials.baseUrl}${credentials.httpRoot}${call.path}`));
        targets.set(call.path, target);
      }
      return postJson(target, basic, JSON.stringify(call.body), call.timeoutMs, call.signal);
    },
    async listFlows() {
      const body = (await (await adminGet("/flows")).json()) as { flows?: FlowNode[] } | FlowNode[];
      return Array.isArray(body) ? body : (body.flows ?? []);
    },
    async ping() {
      await adminGet("/settings");
      assertFlowsStarted();
    },
    async version() {
      const settings = (await (await adminGet("/settings")).json()) as { version?: unknown };
      return typeof settings.version === "string" ? settings.version : null;
    },
    async adminToken() {
      return (await requestToken()).value;
    },
  };
}

async function fetchOrThrow(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const isTimeout = (error as Error).name === "TimeoutError";
    throw new MashupUnreachableError(
      isTimeout
        ? `Node-RED did not answer within ${timeoutMs} ms`
        : `Node-RED is unreachable: ${(error as Error).message}`,
      isTimeout,
      { cause: error },
    );
  }
}

/** For processes that never call Node-RED (the seed step): every call fails as if Node-RED were down. */
export function createUnavailableNodeRedClient(): NodeRedClient {
  const refuse = async (): Promise<never> => {
    throw new MashupUnreachableError("Node-RED is not available in this process", false);
  };
  return {
    baseUrl: "http://node-red.invalid",
    invokeMashup: refuse,
    listFlows: refuse,
    ping: refuse,
    adminToken: refuse,
  };
}
