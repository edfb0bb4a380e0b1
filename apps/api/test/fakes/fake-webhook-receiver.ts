import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the receiver got: its headers, raw body and when it arrived. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export type Responder = (
  request: ReceivedWebhook,
) => { status: number; body?: string; headers?: Record<string, string> } | "hang";

/**
 * A webhook receiver on loopback (the third party a subscription points at), speaking plain HTTP: it records every
 * request and answers what `respond` says (200 by default), or never answers ("hang").
 */
export async function startFakeWebhookReceiver(respond: Responder = () => ({ status: 200, body: "ok" })) {
  const received: ReceivedWebhook[] = [];
  let responder = respond;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), receivedAt: Date.now() };
      received.push(entry);
      const answer = responder(entry);
      if (answer === "hang") {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, answer.headers ?? { "content-type": "text/plain" }).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    setResponder(next: Responder) {
      responder = next;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeWebhookReceiver = Awaited<ReturnType<typeof startFakeWebhookReceiver>>;
