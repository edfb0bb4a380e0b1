import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A GitHub account as GET /user shows it. */
export interface FakeGithubAccount {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
}

/** One request the fake received, for assertions on the outgoing calls of the app. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The body parsed from a form or JSON; empty when there was none. */
  body: Record<string, string>;
}

export interface FakeGithub {
  /** Base URL, used as both GITHUB_OAUTH_URL and GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** What GitHub hands the browser after the user approves: a one-time code for `account`. */
  issueCode(account: FakeGithubAccount): string;
  close(): Promise<void>;
}

let nextAccountId = 9_000_000;

/** A GitHub account with unique id and login. */
export function buildGithubAccount(overrides: Partial<FakeGithubAccount> = {}): FakeGithubAccount {
  nextAccountId += 1;
  return {
    id: nextAccountId,
    login: `octo-${randomBytes(3).toString("hex")}`,
    name: "Octo Cat",
    email: null,
    ...overrides,
  };
}

function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("error", reject);
    req.on("end", () => {
      if (!raw) return resolve({});
      if (req.headers["content-type"]?.includes("application/json"))
        return resolve(JSON.parse(raw) as Record<string, string>);
      resolve(Object.fromEntries(new URLSearchParams(raw)));
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

/**
 * A loopback fake of GitHub's OAuth web flow and REST API, just what sign-in uses: the code-for-token exchange
 * (POST /login/oauth/access_token) and the profile (GET /user). Codes are single-use, like GitHub's. The token
 * answer is JSON when asked for with `Accept: application/json` and form-encoded otherwise, as GitHub does.
 */
export async function startFakeGithub(): Promise<FakeGithub> {
  const requests: RecordedRequest[] = [];
  const accountsByCode = new Map<string, FakeGithubAccount>();
  const accountsByAccessToken = new Map<string, FakeGithubAccount>();

  async function exchangeCode(req: IncomingMessage, res: ServerResponse, body: Record<string, string>): Promise<void> {
    const account = body.code ? accountsByCode.get(body.code) : undefined;
    if (!account)
      return sendJson(res, 400, {
        error: "bad_verification_code",
        error_description: "The code passed is incorrect or expired.",
      });
    accountsByCode.delete(body.code!);
    const accessToken = `gho_${randomBytes(18).toString("hex")}`;
    accountsByAccessToken.set(accessToken, account);
    const answer = { access_token: accessToken, token_type: "bearer", scope: "read:user" };
    if (req.headers.accept?.includes("application/json")) return sendJson(res, 200, answer);
    res
      .writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" })
      .end(new URLSearchParams(answer).toString());
  }

  function showUser(req: IncomingMessage, res: ServerResponse): void {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const account = match?.[1] ? accountsByAccessToken.get(match[1]) : undefined;
    if (!account) return sendJson(res, 401, { message: "Bad credentials" });
    sendJson(res, 200, { id: account.id, login: account.login, name: account.name, email: account.email });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const body = await readBody(req);
      requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });
      if (req.method === "POST" && path === "/login/oauth/access_token") return exchangeCode(req, res, body);
      if (req.method === "GET" && path === "/user") return showUser(req, res);
      sendJson(res, 404, { message: "Not Found" });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    issueCode(account) {
      const code = randomBytes(10).toString("hex");
      accountsByCode.set(code, account);
      return code;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
