import type { TestApp } from "./test-app.ts";

export interface ServerSentEvent {
  event: string;
  data: any;
}

/** POSTs JSON asking for text/event-stream and reads every event until the server ends the stream. */
export async function postForEvents(
  app: Pick<TestApp, "baseUrl">,
  path: string,
  options: { token?: string; body: unknown; headers?: Record<string, string> },
): Promise<{ status: number; headers: Headers; events: ServerSentEvent[]; text: string }> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: "POST",
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      "content-type": "application/json",
      accept: "text/event-stream",
      ...options.headers,
    },
    body: JSON.stringify(options.body),
  });
  return readEvents(response);
}

/** GETs an event stream and reads every event until the server ends the stream. */
export async function getForEvents(
  app: Pick<TestApp, "baseUrl">,
  path: string,
  options: { token?: string } = {},
): Promise<{ status: number; headers: Headers; events: ServerSentEvent[]; text: string }> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), accept: "text/event-stream" },
  });
  return readEvents(response);
}

async function readEvents(
  response: Response,
): Promise<{ status: number; headers: Headers; events: ServerSentEvent[]; text: string }> {
  const text = await response.text();
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    return { status: response.status, headers: response.headers, events: [], text };
  }
  const events = text
    .split("\n\n")
    .filter((block) => block.trim() && !block.startsWith(":"))
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      return { event, data: JSON.parse(data) };
    });
  return { status: response.status, headers: response.headers, events, text };
}
