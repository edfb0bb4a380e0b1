import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/** A service account of the fake, with its tokens' keys (Grafana shows a key once; the fake keeps it for checks). */
export interface FakeServiceAccount {
  id: number;
  name: string;
  role: string;
  tokens: { id: number; name: string; key: string; created: string }[];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function accountAnswer(account: FakeServiceAccount) {
  return {
    id: account.id,
    name: account.name,
    login: `sa-${account.name}`,
    orgId: 1,
    isDisabled: false,
    role: account.role,
    tokens: account.tokens.length,
    avatarUrl: `/avatar/${account.id}`,
  };
}

/**
 * Grafana's service-account API (`/api/serviceaccounts`, documented in grafana/grafana
 * docs/sources/developers/http_api/serviceaccount.md) in the fake's memory: search with paging, create (201), get,
 * tokens listed, created (`{id, name, key}`, the key shown once, `glsa_…`) and deleted. A deleted token is refused
 * (401) from then on, as Grafana refuses a revoked one.
 */
export function createServiceAccountApi() {
  const accounts = new Map<number, FakeServiceAccount>();
  let nextId = 1;

  function findByKey(key: string): FakeServiceAccount | undefined {
    return [...accounts.values()].find((account) => account.tokens.some((token) => token.key === key));
  }

  function search(res: ServerResponse, query: URLSearchParams): void {
    const term = (query.get("query") ?? "").toLowerCase();
    const perPage = Number(query.get("perpage") ?? 1000);
    const page = Number(query.get("page") ?? 1);
    const hits = [...accounts.values()].filter((account) => account.name.toLowerCase().includes(term));
    sendJson(res, 200, {
      totalCount: hits.length,
      serviceAccounts: hits.slice((page - 1) * perPage, page * perPage).map(accountAnswer),
      page,
      perPage,
    });
  }

  function create(res: ServerResponse, body: any): void {
    if (typeof body?.name !== "string" || body.name.trim() === "")
      return sendJson(res, 400, { message: "required value is missing: name" });
    if (![...accounts.values()].every((account) => account.name !== body.name))
      return sendJson(res, 400, {
        message: "service account already exists",
        messageId: "serviceaccounts.ErrAlreadyExists",
      });
    const account = { id: nextId++, name: body.name, role: body.role ?? "Viewer", tokens: [] };
    accounts.set(account.id, account);
    const now = new Date().toISOString();
    sendJson(res, 201, { ...accountAnswer(account), createdAt: now, updatedAt: now, teams: [] });
  }

  function createToken(res: ServerResponse, account: FakeServiceAccount, body: any): void {
    if (typeof body?.name !== "string" || body.name.trim() === "")
      return sendJson(res, 400, { message: "required value is missing: name" });
    if (account.tokens.some((token) => token.name === body.name))
      return sendJson(res, 409, { message: "service account token with given name already exists" });
    const token = {
      id: nextId++,
      name: body.name,
      key: `glsa_${randomBytes(16).toString("hex")}_${randomBytes(4).toString("hex")}`,
      created: new Date().toISOString(),
    };
    account.tokens.push(token);
    sendJson(res, 200, { id: token.id, name: token.name, key: token.key });
  }

  function route(res: ServerResponse, method: string, path: string, query: URLSearchParams, body: any): boolean {
    if (method === "GET" && path === "/api/serviceaccounts/search") return (search(res, query), true);
    if (method === "POST" && path === "/api/serviceaccounts") return (create(res, body), true);
    const match = /^\/api\/serviceaccounts\/(\d+)(\/tokens(?:\/(\d+))?)?$/.exec(path);
    if (!match) return false;
    const account = accounts.get(Number(match[1]));
    if (!account) return (sendJson(res, 404, { message: "service account not found" }), true);
    if (!match[2] && method === "GET") return (sendJson(res, 200, accountAnswer(account)), true);
    if (match[2] && !match[3] && method === "POST") return (createToken(res, account, body), true);
    if (match[2] && !match[3] && method === "GET") {
      const tokens = account.tokens.map(({ id, name, created }) => ({ id, name, role: account.role, created }));
      return (sendJson(res, 200, tokens), true);
    }
    if (match[3] && method === "DELETE") {
      const index = account.tokens.findIndex((token) => token.id === Number(match[3]));
      if (index === -1) return (sendJson(res, 404, { message: "service account token not found" }), true);
      account.tokens.splice(index, 1);
      return (sendJson(res, 200, { message: "Service account token deleted" }), true);
    }
    return false;
  }

  return {
    accounts,
    /** Whether a bearer key is a live token of one of the service accounts. */
    isLiveKey: (key: string) => findByKey(key) !== undefined,
    /** Deletes a token by its key, as an admin revoking it in Grafana's UI would. */
    revoke(key: string): boolean {
      const account = findByKey(key);
      if (!account) return false;
      account.tokens = account.tokens.filter((token) => token.key !== key);
      return true;
    },
    route,
  };
}
