import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One tool call the fake model makes: a function name and its arguments (sent as JSON text in fragments). */
export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  /** Default a generated `call_…` id; `null` leaves the id out, as some compatible servers do. */
  id?: string | null;
}

/** What the fake answers to one Chat Completions request. */
export interface FakeReply {
  text?: string;
  toolCalls?: FakeToolCall[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Characters of text per chunk (default 5), so the text really arrives in pieces. */
  chunkSize?: number;
  /** An OpenAI error answer instead of a completion. */
  error?: "invalid_api_key" | "insufficient_quota" | "rate_limit_exceeded" | "server_error";
  /** Seconds in Retry-After for rate_limit_exceeded (default 7). */
  retryAfterSeconds?: number;
  /** Stream some text, then drop the connection (a network failure in the middle of an answer). */
  dropAfterText?: string;
  /** A pause before each streamed chunk, for a slow model. */
  chunkDelayMs?: number;
}

/** A request the fake received, with its parsed JSON body. */
export interface FakeOpenAiRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: any;
  /** True when the client closed the connection before the streamed answer ended. */
  wasAbandoned?: boolean;
}

export interface FakeOpenAi {
  /** The base URL to configure (OPENAI_BASE_URL), ending in /v1. */
  baseUrl: string;
  /** The API key the fake accepts; any other is answered 401 invalid_api_key. */
  apiKey: string;
  requests: FakeOpenAiRequest[];
  /** Chat Completions requests only, in order. */
  chatRequests(): FakeOpenAiRequest[];
  /** Queues replies, one per Chat Completions request; a function reply sees the request. */
  script(...replies: (FakeReply | ((body: any) => FakeReply))[]): void;
  close(): Promise<void>;
}

const ERRORS = {
  invalid_api_key: {
    status: 401,
    body: {
      message:
        "Incorrect API key provided: sk-wr***ng. You can find your API key at https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  },
  insufficient_quota: {
    status: 429,
    body: {
      message: "You exceeded your current quota, please check your plan and billing details.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    },
  },
  rate_limit_exceeded: {
    status: 429,
    body: {
      message: "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
  },
  server_error: {
    status: 500,
    body: {
      message: "The server had an error while processing your request.",
      type: "server_error",
      param: null,
      code: null,
    },
  },
} as const;

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("error", reject);
    req.on("end", () => resolve(raw ? JSON.parse(raw) : undefined));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let index = 0; index < text.length; index += size) result.push(text.slice(index, index + size));
  return result;
}

/**
 * The chunks of a streamed completion in OpenAI's format: role first, text deltas, tool-call fragments, finish, usage.
 */
function completionChunks(reply: FakeReply, model: string, includeUsage: boolean): unknown[] {
  const id = `chatcmpl-${randomBytes(6).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: unknown, finishReason: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks: unknown[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of pieces(reply.text ?? "", reply.chunkSize ?? 5)) chunks.push(chunk({ content: piece }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
    const callId = call.id === null ? undefined : (call.id ?? `call_${randomBytes(8).toString("hex")}`);
    chunks.push(
      chunk({
        tool_calls: [
          { index, ...(callId ? { id: callId } : {}), type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
    );
    for (const fragment of pieces(args, 7))
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
  });
  chunks.push(chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop"));
  if (includeUsage) {
    const usage = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
    chunks.push({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      system_fingerprint: "fp_fake",
      choices: [],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }
  return chunks;
}

function completionObject(reply: FakeReply, model: string) {
  const usage = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `call_${randomBytes(8).toString("hex")}`,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  return {
    id: `chatcmpl-${randomBytes(6).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: reply.text ?? null,
          refusal: null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toolCalls.length ? "tool_calls" : "stop",
      },
    ],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/**
 * A loopback fake of the OpenAI API, the endpoints STATUS uses: `POST /v1/chat/completions` (streamed as
 * Server-Sent Events exactly as OpenAI sends them, tool calls in id/name/argument fragments, usage in a last chunk
 * when `stream_options.include_usage`; or one JSON completion) and `GET /v1/models`. Bearer-key checks and
 * OpenAI's error bodies (invalid key, exhausted quota, rate limit with Retry-After) are real; the answers are
 * scripted per test, and every request is logged for assertions.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const apiKey = `sk-fake-${randomBytes(12).toString("hex")}`;
  const requests: FakeOpenAiRequest[] = [];
  const queue: (FakeReply | ((body: any) => FakeReply))[] = [];

  function sendError(res: ServerResponse, kind: NonNullable<FakeReply["error"]>, retryAfterSeconds = 7): void {
    const { status, body } = ERRORS[kind];
    const headers: Record<string, string> =
      kind === "rate_limit_exceeded"
        ? { "retry-after": String(retryAfterSeconds), "x-ratelimit-remaining-requests": "0" }
        : {};
    sendJson(res, status, { error: body }, headers);
  }

  async function chatCompletions(res: ServerResponse, body: any, logged: FakeOpenAiRequest): Promise<void> {
    const next = queue.shift();
    if (!next)
      return sendJson(res, 500, {
        error: {
          message: "fake-openai: no scripted reply left for this request",
          type: "server_error",
          param: null,
          code: null,
        },
      });
    const reply = typeof next === "function" ? next(body) : next;
    if (reply.error) return sendError(res, reply.error, reply.retryAfterSeconds);
    const model = String(body?.model ?? "gpt-fake");
    if (!body?.stream) return sendJson(res, 200, completionObject(reply, model));
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    if (reply.dropAfterText !== undefined) {
      for (const chunk of completionChunks({ text: reply.dropAfterText }, model, false).slice(0, -1))
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket?.destroy();
      return;
    }
    for (const chunk of completionChunks(reply, model, body.stream_options?.include_usage === true)) {
      if (reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      else await new Promise((resolve) => setImmediate(resolve));
      if (res.destroyed || res.socket?.destroyed) {
        logged.wasAbandoned = true;
        return;
      }
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = req.method === "POST" ? await readJson(req).catch(() => undefined) : undefined;
    const path = (req.url ?? "").split("?")[0]!;
    const logged: FakeOpenAiRequest = { method: req.method ?? "", path, headers: req.headers, body };
    requests.push(logged);
    if (req.headers.authorization !== `Bearer ${apiKey}`) return sendError(res, "invalid_api_key");
    if (req.method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: ["gpt-4o-mini", "gpt-fake"].map((id) => ({
          id,
          object: "model",
          created: 1_700_000_000,
          owned_by: "fake",
        })),
      });
    }
    if (req.method === "POST" && path === "/v1/chat/completions") return chatCompletions(res, body, logged);
    sendJson(res, 404, {
      error: {
        message: `Unknown request URL: ${req.method} ${path}`,
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    chatRequests: () => requests.filter((request) => request.path === "/v1/chat/completions"),
    script(...replies) {
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
