import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";

/** The raw head of an HTTP/1.1 response, for answers written straight to an upgrading socket. */
export function rawResponseHead(
  status: number,
  reason: string,
  headers: IncomingHttpHeaders | OutgoingHttpHeaders = {},
): string {
  const lines = [`HTTP/1.1 ${status} ${reason}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * Joins a client's upgraded socket to the upstream's WebSocket handshake: 101 and both directions piped, or the
 * upstream's refusal (or 502) written back as a raw response. Sends the upstream request.
 */
export function tunnelUpgrade(upstream: ClientRequest, socket: Duplex, head: Buffer): void {
  upstream.on("upgrade", (answer, upstreamSocket, upstreamHead) => {
    socket.write(rawResponseHead(101, "Switching Protocols", answer.headers));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.on("error", () => socket.destroy());
    socket.on("close", () => upstreamSocket.destroy());
    upstreamSocket.on("close", () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  upstream.on("response", (answer) => {
    socket.end(rawResponseHead(answer.statusCode ?? 502, answer.statusMessage ?? "Refused"));
    answer.resume();
  });
  upstream.on("error", () => socket.end(rawResponseHead(502, "Bad Gateway")));
  upstream.end();
}

/**
 * Browsers send cookies with cross-site WebSocket handshakes in some cases, so a handshake whose Origin is another
 * site is refused. Clients without an Origin (not browsers) carry no ambient cookie and pass.
 */
export function isSameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const host = new URL(origin).host;
    return host === req.headers.host || host === new URL(publicUrl).host;
  } catch {
    return false;
  }
}
