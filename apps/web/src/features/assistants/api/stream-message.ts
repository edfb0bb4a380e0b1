import { AUTH_COOKIES, ChatEventSchema, CSRF_HEADER, ProblemDetailsSchema, type ChatEvent } from "@status/shared";
import { API_BASE_URL, ApiError, refreshSession } from "@/lib/api-client.ts";
import { readCookie } from "@/lib/cookies.ts";

export interface StreamMessageInput {
  assistantId: string;
  conversationId: string;
  content: string;
  onEvent: (event: ChatEvent) => void;
  signal?: AbortSignal;
}

function post(input: StreamMessageInput): Promise<Response> {
  const csrfToken = readCookie(AUTH_COOKIES.csrf);
  const path = `${API_BASE_URL}/assistants/${encodeURIComponent(input.assistantId)}/conversations/${encodeURIComponent(input.conversationId)}/messages`;
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "text/event-stream, application/problem+json",
      ...(csrfToken ? { [CSRF_HEADER]: csrfToken } : {}),
    },
    body: JSON.stringify({ content: input.content }),
    ...(input.signal ? { signal: input.signal } : {}),
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  const problem = ProblemDetailsSchema.safeParse(await response.json().catch(() => null));
  if (problem.success) return new ApiError({ ...problem.data, status: response.status });
  return new ApiError({
    status: response.status,
    code: "http_error",
    title: `HTTP ${response.status}`,
    detail: `The server answered ${response.status} without problem details.`,
  });
}

/** Splits Server-Sent Events text into events; returns the unfinished rest. */
export function parseEventBlocks(buffer: string, onEvent: (event: ChatEvent) => void): string {
  const blocks = buffer.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    const lines = block.split("\n");
    const name = lines.find((line) => line.startsWith("event: "))?.slice(7);
    const data = lines
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice(6))
      .join("\n");
    if (!name || !data) continue;
    const parsed = ChatEventSchema.safeParse({ event: name, data: JSON.parse(data) as unknown });
    if (parsed.success) onEvent(parsed.data);
  }
  return rest;
}

/**
 * Sends a message and reads the streamed answer. axios cannot read a response as it arrives, so this is fetch, with
 * what the axios client adds: the session cookie, the CSRF header, one session refresh on an expired access token,
 * and problem details turned into an ApiError. Events are validated with the shared schema.
 */
export async function streamMessage(input: StreamMessageInput): Promise<void> {
  let response = await post(input);
  if (
    response.status === 401 &&
    ProblemDetailsSchema.safeParse(
      await response
        .clone()
        .json()
        .catch(() => null),
    ).data?.code === "token_expired"
  ) {
    await refreshSession();
    response = await post(input);
  }
  if (!response.ok) throw await toApiError(response);
  if (!response.body)
    throw new ApiError({
      status: 0,
      code: "network_error",
      title: "Network error",
      detail: "The answer could not be read.",
    });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer = parseEventBlocks(buffer + decoder.decode(value, { stream: true }), input.onEvent);
  }
  parseEventBlocks(`${buffer}\n\n`, input.onEvent);
}
