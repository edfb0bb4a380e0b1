import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promises as dns } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { Readable } from "node:stream";

/**
 * The guard for outbound calls to URLs that users set (webhooks, the AI server): http(s) only; link-local and cloud
 * metadata addresses always refused; private, loopback and other non-public ranges refused unless the allow-list
 * (OUTBOUND_ALLOW_HOSTS: host names, addresses, CIDRs) names them. The check runs on the address each connection
 * resolves to (a `lookup` of our own in the request), so a name that changes its answer after validation (DNS
 * rebinding) is still refused; redirects are never followed.
 */
export class OutboundUrlRefusedError extends Error {}

const NEVER = new net.BlockList();
NEVER.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, including 169.254.169.254 (AWS, GCP, Azure metadata)
NEVER.addSubnet("fe80::", 10, "ipv6");
NEVER.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
NEVER.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6

const NON_PUBLIC = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["ff00::", 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv6");

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data"]);

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is checked as the IPv4 address it maps. */
function normalize(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: net.isIPv6(address) ? "ipv6" : "ipv4" };
}

function isInAllowList(hostname: string, address: string, allowHosts: readonly string[]): boolean {
  const { address: ip, family } = normalize(address);
  return allowHosts.some((entry) => {
    if (entry === hostname.toLowerCase()) return true;
    const [network, prefix] = entry.split("/");
    if (!network || net.isIP(network) === 0) return false;
    const list = new net.BlockList();
    const networkFamily = net.isIPv6(network) ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(network, networkFamily);
    else list.addSubnet(network, Number(prefix), networkFamily);
    return list.check(ip, family);
  });
}

/** Why `address` (what `hostname` resolved to) may not be called, or undefined when it may. */
export function refusalOf(hostname: string, address: string, allowHosts: readonly string[]): string | undefined {
  const { address: ip, family } = normalize(address);
  if (NEVER.check(ip, family) || METADATA_HOSTS.has(hostname.toLowerCase()))
    return `${hostname} (${address}) is a link-local or cloud metadata address`;
  if (NON_PUBLIC.check(ip, family) && !isInAllowList(hostname, address, allowHosts))
    return `${hostname} (${address}) is a private or loopback address not named in OUTBOUND_ALLOW_HOSTS`;
  return undefined;
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Validates a URL when a user sets it: its scheme, and every address its host resolves to now. Answers the reason
 * it is refused, or undefined. The same rule runs again at each connection.
 */
export async function checkOutboundUrl(text: string, allowHosts: readonly string[]): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http and https URLs are allowed";
  const host = bareHost(url);
  if (net.isIP(host) !== 0) return refusalOf(host, host, allowHosts);
  if (METADATA_HOSTS.has(host.toLowerCase())) return `${host} is a cloud metadata address`;
  let addresses: { address: string }[];
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch {
    return `${host} does not resolve`;
  }
  for (const { address } of addresses) {
    const refusal = refusalOf(host, address, allowHosts);
    if (refusal) return refusal;
  }
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s) requests that refuses any address the guard refuses, at connect time. */
export function guardedLookup(allowHosts: readonly string[]) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = refusalOf(hostname, address, allowHosts);
        if (refusal) return callback(new OutboundUrlRefusedError(refusal), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** What one outbound POST got back. */
export interface OutboundResponse {
  statusCode: number;
  durationMs: number;
  /** The first characters of the answer's body. */
  excerpt: string;
}

export interface OutboundClient {
  /** POSTs `body`; refused addresses, timeouts and network errors reject. Redirects are answers, never followed. */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<OutboundResponse>;
  /** A `fetch` with the same guard, for SDKs that take one (the AI client). */
  fetch: typeof fetch;
  close(): void;
}

const EXCERPT_BYTES = 1024;

/** Keep-alive agents whose connections pass the guard, shared by every call of a process. */
export function createOutboundClient(allowHosts: readonly string[]): OutboundClient {
  const lookup = guardedLookup(allowHosts);
  const agents = {
    "http:": new http.Agent({ keepAlive: true, lookup } as http.AgentOptions),
    "https:": new https.Agent({ keepAlive: true, lookup } as https.AgentOptions),
  };
  const open = (url: URL, options: http.RequestOptions, onResponse: (response: http.IncomingMessage) => void) => {
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new OutboundUrlRefusedError("only http and https URLs are allowed");
    // A literal address needs no lookup, so Node would connect without asking ours: check it here.
    const host = bareHost(url);
    if (net.isIP(host) !== 0) {
      const refusal = refusalOf(host, host, allowHosts);
      if (refusal) throw new OutboundUrlRefusedError(refusal);
    }
    const transport = url.protocol === "https:" ? https : http;
    return transport.request(url, { ...options, agent: agents[url.protocol] }, onResponse);
  };
  return {
    post(text, headers, body, timeoutMs) {
      return new Promise((resolve, reject) => {
        const startedAt = performance.now();
        let request: http.ClientRequest;
        try {
          request = open(new URL(text), { method: "POST", headers, timeout: timeoutMs }, (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on("data", (chunk: Buffer) => {
              if (size < EXCERPT_BYTES) chunks.push(chunk);
              size += chunk.length;
            });
            response.on("end", () =>
              resolve({
                statusCode: response.statusCode ?? 0,
                durationMs: Math.round(performance.now() - startedAt),
                excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8"),
              }),
            );
            response.on("error", reject);
          });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on("error", reject);
        request.end(body);
      });
    },
    fetch: (input, init) => guardedFetch(open, input, init),
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

const sharedClients = new Map<string, OutboundClient>();

/** One client per allow-list for the process's lifetime, for callers that make a client per call (the AI client). */
export function sharedOutboundClient(allowHosts: readonly string[]): OutboundClient {
  const key = allowHosts.join(",");
  let client = sharedClients.get(key);
  if (!client) {
    client = createOutboundClient(allowHosts);
    sharedClients.set(key, client);
  }
  return client;
}

type Opener = (
  url: URL,
  options: http.RequestOptions,
  onResponse: (response: http.IncomingMessage) => void,
) => http.ClientRequest;

/** fetch over node:http with the guard: JSON and text bodies, streaming answers, abort signals, no redirects. */
async function guardedFetch(open: Opener, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  return new Promise<Response>((resolve, reject) => {
    const headers = Object.fromEntries(request.headers.entries());
    let outgoing: http.ClientRequest;
    try {
      outgoing = open(new URL(request.url), { method: request.method, headers }, (response) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
          else if (value !== undefined) responseHeaders.set(name, value);
        }
        const status = response.statusCode ?? 502;
        const hasBody = status !== 204 && status !== 304 && request.method !== "HEAD";
        resolve(
          new Response(hasBody ? (Readable.toWeb(response) as ReadableStream) : null, {
            status,
            statusText: response.statusMessage,
            headers: responseHeaders,
          }),
        );
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const signal = init?.signal ?? request.signal;
    signal?.addEventListener("abort", () => outgoing.destroy(new Error("aborted")), { once: true });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
