import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { createServiceAccountApi, type FakeServiceAccount } from "./fake-grafana-service-accounts.ts";

/** One request the fake received, for assertions on what the app sent. */
export interface RecordedGrafanaRequest {
  method: string;
  /** Path below the sub path, e.g. `/api/dashboards/db`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
}

interface StoredDashboard {
  id: number;
  uid: string;
  version: number;
  folderUid: string | null;
  model: Record<string, any>;
  created: string;
  updated: string;
}

interface StoredFolder {
  id: number;
  uid: string;
  title: string;
}

export interface FakeGrafana {
  /** Base URL including the sub path, as GRAFANA_URL takes it. */
  url: string;
  /** The sub path Grafana serves from (serve_from_sub_path). */
  subPath: string;
  token: string;
  /** The built-in server admin, accepted with basic auth on every API route (GRAFANA_ADMIN_USER/PASSWORD). */
  admin: { user: string; password: string };
  /** Service accounts made through `/api/serviceaccounts`, with their tokens. */
  serviceAccounts: Map<number, FakeServiceAccount>;
  /** Deletes a service-account token by its key, as an admin revoking it in Grafana would; false when unknown. */
  revokeToken(key: string): boolean;
  requests: RecordedGrafanaRequest[];
  dashboards: Map<string, StoredDashboard>;
  folders: Map<string, StoredFolder>;
  /** Every answer waits this long first (a slow Grafana). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const SUB_PATH = "/grafana";

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function newUid(): string {
  return randomBytes(7).toString("hex");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("error", reject);
    req.on("end", () => {
      try {
        resolve(raw ? JSON.parse(raw) : undefined);
      } catch {
        resolve(raw);
      }
    });
  });
}

/**
 * A loopback fake of Grafana's HTTP API (the endpoints STATUS calls), served under a sub path like a Grafana with
 * serve_from_sub_path. Service calls need `Authorization: Bearer <token>` (the fixed token or a live service-account
 * token) or the server admin's basic credentials (401 otherwise, like Grafana); service accounts and their tokens
 * follow Grafana's `/api/serviceaccounts` API (fake-grafana-service-accounts.ts); dashboards
 * and folders live in memory with Grafana's request and answer shapes: `{id, uid, url, status, version, slug}` on save,
 * `{dashboard, meta}` on get, 412 `version-mismatch` / `name-exists` without overwrite, 404 for unknown uids.
 * Requests with auth-proxy headers (what a browser gets through STATUS) are answered by `GET /api/user` with that
 * identity, any other non-API path echoes what arrived, and a WebSocket at /api/live/ws sends its handshake headers.
 */
export async function startFakeGrafana(
  options: { token?: string; admin?: { user: string; password: string }; port?: number } = {},
): Promise<FakeGrafana> {
  const token = options.token ?? `glsa_${randomBytes(16).toString("hex")}`;
  const admin = options.admin ?? { user: "admin", password: randomBytes(8).toString("hex") };
  const serviceAccounts = createServiceAccountApi();
  const requests: RecordedGrafanaRequest[] = [];
  const dashboards = new Map<string, StoredDashboard>();
  const folders = new Map<string, StoredFolder>();
  let nextId = 1;
  let delayMs = 0;

  function dashboardUrl(stored: StoredDashboard): string {
    return `${SUB_PATH}/d/${stored.uid}/${slugOf(String(stored.model.title))}`;
  }

  function search(res: ServerResponse, query: URLSearchParams): void {
    const term = (query.get("query") ?? "").toLowerCase();
    const folderUids = query.getAll("folderUIDs").flatMap((value) => value.split(","));
    const limit = Number(query.get("limit") ?? 1000);
    const hits = [...dashboards.values()]
      .filter((stored) => String(stored.model.title).toLowerCase().includes(term))
      .filter((stored) => folderUids.length === 0 || folderUids.includes(stored.folderUid ?? "general"))
      .sort((a, b) => String(a.model.title).localeCompare(String(b.model.title)))
      .slice(0, limit)
      .map((stored) => {
        const folder = stored.folderUid ? folders.get(stored.folderUid) : undefined;
        return {
          id: stored.id,
          uid: stored.uid,
          title: stored.model.title,
          uri: `db/${slugOf(String(stored.model.title))}`,
          url: dashboardUrl(stored),
          slug: "",
          type: "dash-db",
          tags: stored.model.tags ?? [],
          isStarred: false,
          sortMeta: 0,
          ...(folder
            ? {
                folderId: folder.id,
                folderUid: folder.uid,
                folderTitle: folder.title,
                folderUrl: `${SUB_PATH}/dashboards/f/${folder.uid}/`,
              }
            : {}),
        };
      });
    sendJson(res, 200, hits);
  }

  function getDashboard(res: ServerResponse, uid: string): void {
    const stored = dashboards.get(uid);
    if (!stored) return sendJson(res, 404, { message: "Dashboard not found" });
    const folder = stored.folderUid ? folders.get(stored.folderUid) : undefined;
    sendJson(res, 200, {
      dashboard: { ...stored.model, id: stored.id, uid: stored.uid, version: stored.version },
      meta: {
        type: "db",
        canSave: true,
        canEdit: true,
        canAdmin: true,
        canStar: true,
        canDelete: true,
        slug: slugOf(String(stored.model.title)),
        url: dashboardUrl(stored),
        expires: "0001-01-01T00:00:00Z",
        created: stored.created,
        updated: stored.updated,
        updatedBy: "status",
        createdBy: "status",
        version: stored.version,
        hasAcl: false,
        isFolder: false,
        folderId: folder?.id ?? 0,
        folderUid: folder?.uid ?? "",
        folderTitle: folder?.title ?? "General",
        folderUrl: folder ? `${SUB_PATH}/dashboards/f/${folder.uid}/` : "",
        provisioned: false,
        provisionedExternalId: "",
      },
    });
  }

  function saveDashboard(res: ServerResponse, body: any): void {
    const model = body?.dashboard;
    if (typeof model !== "object" || model === null) return sendJson(res, 400, { message: "bad request data" });
    if (typeof model.title !== "string" || model.title.trim() === "")
      return sendJson(res, 400, { message: "Dashboard title cannot be empty" });
    const folderUid: string | null = body.folderUid || null;
    if (folderUid && !folders.has(folderUid)) return sendJson(res, 400, { message: "folder not found" });
    const overwrite = body.overwrite === true;
    let existing = typeof model.uid === "string" && model.uid ? dashboards.get(model.uid) : undefined;
    if (existing && !overwrite && model.version !== existing.version) {
      return sendJson(res, 412, {
        message: "The dashboard has been changed by someone else",
        status: "version-mismatch",
      });
    }
    const sameName = [...dashboards.values()].find(
      (stored) =>
        stored.uid !== existing?.uid &&
        stored.folderUid === folderUid &&
        String(stored.model.title).toLowerCase() === model.title.toLowerCase(),
    );
    if (sameName && !overwrite)
      return sendJson(res, 412, {
        message: "A dashboard with the same name in the folder already exists",
        status: "name-exists",
      });
    if (sameName && overwrite && !existing) existing = sameName;
    const now = new Date().toISOString();
    const stored: StoredDashboard = existing
      ? { ...existing, version: existing.version + 1, folderUid, model: structuredClone(model), updated: now }
      : {
          id: nextId++,
          uid: typeof model.uid === "string" && model.uid ? model.uid : newUid(),
          version: 1,
          folderUid,
          model: structuredClone(model),
          created: now,
          updated: now,
        };
    dashboards.set(stored.uid, stored);
    sendJson(res, 200, {
      id: stored.id,
      uid: stored.uid,
      url: dashboardUrl(stored),
      status: "success",
      version: stored.version,
      slug: slugOf(model.title),
    });
  }

  function deleteDashboard(res: ServerResponse, uid: string): void {
    const stored = dashboards.get(uid);
    if (!stored) return sendJson(res, 404, { message: "Dashboard not found" });
    dashboards.delete(uid);
    sendJson(res, 200, {
      title: stored.model.title,
      message: `Dashboard ${stored.model.title} deleted`,
      id: stored.id,
    });
  }

  // Grafana's folder answer (POST and GET /api/folders…).
  function folderAnswer(folder: StoredFolder) {
    return {
      ...folder,
      url: `${SUB_PATH}/dashboards/f/${folder.uid}/`,
      hasAcl: false,
      canSave: true,
      canEdit: true,
      canAdmin: true,
      canDelete: true,
      version: 1,
    };
  }

  function createFolder(res: ServerResponse, body: any): void {
    if (typeof body?.title !== "string" || body.title.trim() === "")
      return sendJson(res, 400, { message: "folder title cannot be empty" });
    if ([...folders.values()].some((folder) => folder.title.toLowerCase() === body.title.toLowerCase())) {
      return sendJson(res, 409, {
        message: "a folder or dashboard in the general folder with the same name already exists",
      });
    }
    const folder = {
      id: nextId++,
      uid: typeof body.uid === "string" && body.uid ? body.uid : newUid(),
      title: body.title,
    };
    folders.set(folder.uid, folder);
    sendJson(res, 200, folderAnswer(folder));
  }

  function getFolder(res: ServerResponse, uid: string): void {
    const folder = folders.get(uid);
    if (!folder) return sendJson(res, 404, { message: "folder not found" });
    sendJson(res, 200, folderAnswer(folder));
  }

  function deleteFolder(res: ServerResponse, uid: string): void {
    const folder = folders.get(uid);
    if (!folder) return sendJson(res, 404, { message: "folder not found" });
    for (const stored of [...dashboards.values()]) if (stored.folderUid === uid) dashboards.delete(stored.uid);
    folders.delete(uid);
    sendJson(res, 200, { message: "Folder deleted", id: folder.id, title: folder.title });
  }

  function echo(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const url = new URL(req.url ?? "/", "http://fake");
    sendJson(res, 200, {
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body: body ?? null,
    });
  }

  /** Grafana's 401 message for the request's credentials, or undefined when it takes them. */
  function authenticationRefusal(authorization: string | undefined): string | undefined {
    if (authorization?.startsWith("Basic ")) {
      const [user, ...rest] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
      return user === admin.user && rest.join(":") === admin.password ? undefined : "Invalid username or password";
    }
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
    if (bearer && (bearer === token || serviceAccounts.isLiveKey(bearer))) return undefined;
    return "Invalid API key";
  }

  function routeApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: any): void {
    const method = req.method ?? "GET";
    if (method === "GET" && path === "/api/health")
      return sendJson(res, 200, { commit: "fake", database: "ok", version: "11.3.0" });
    // A request with auth-proxy headers is that user (Grafana trusts the proxy); the user-facing API is echoed.
    if (req.headers["x-webauth-user"]) {
      if (method === "GET" && path === "/api/user") {
        return sendJson(res, 200, {
          login: req.headers["x-webauth-user"],
          name: req.headers["x-webauth-name"] ?? "",
          email: req.headers["x-webauth-email"] ?? "",
          orgRole: req.headers["x-webauth-role"] ?? "Viewer",
        });
      }
      return echo(req, res, body);
    }
    const refusal = authenticationRefusal(req.headers.authorization);
    if (refusal) return sendJson(res, 401, { message: refusal });
    if (path.startsWith("/api/serviceaccounts") && serviceAccounts.route(res, method, path, query, body)) return;
    if (method === "GET" && path === "/api/search") return search(res, query);
    const dashboardUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(path)?.[1];
    if (dashboardUid && method === "GET") return getDashboard(res, decodeURIComponent(dashboardUid));
    if (dashboardUid && method === "DELETE") return deleteDashboard(res, decodeURIComponent(dashboardUid));
    if (method === "POST" && path === "/api/dashboards/db") return saveDashboard(res, body);
    if (method === "GET" && path === "/api/folders")
      return sendJson(
        res,
        200,
        [...folders.values()].map(({ id, uid, title }) => ({ id, uid, title })),
      );
    if (method === "POST" && path === "/api/folders") return createFolder(res, body);
    const folderUid = /^\/api\/folders\/([^/]+)$/.exec(path)?.[1];
    if (folderUid && method === "GET") return getFolder(res, decodeURIComponent(folderUid));
    if (folderUid && method === "DELETE") return deleteFolder(res, decodeURIComponent(folderUid));
    sendJson(res, 404, { message: "Not found" });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = await readBody(req);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (!url.pathname.startsWith(`${SUB_PATH}/`)) return sendJson(res, 404, { message: "Not found" });
      const path = url.pathname.slice(SUB_PATH.length);
      requests.push({ method: req.method ?? "GET", path, query: url.searchParams, headers: req.headers, body });
      if (path.startsWith("/api/")) return routeApi(req, res, path, url.searchParams, body);
      // Grafana's pages: here, an echo of what arrived, so tests see what the proxy forwarded.
      echo(req, res, body);
    })().catch(() => res.writeHead(500).end());
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (req.url !== `${SUB_PATH}/api/live/ws`) return void socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    sockets.handleUpgrade(req, socket, head, (client) => client.send(JSON.stringify({ headers: req.headers })));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SUB_PATH}`,
    subPath: SUB_PATH,
    token,
    admin,
    serviceAccounts: serviceAccounts.accounts,
    revokeToken: (key) => serviceAccounts.revoke(key),
    requests,
    dashboards,
    folders,
    setDelay(ms) {
      delayMs = ms;
    },
    close() {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
