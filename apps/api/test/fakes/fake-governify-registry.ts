import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { evaluateObjective } from "./fake-objective-evaluator.ts";

/**
 * A FAKE of the Governify registry — not the registry. It is a protocol-faithful stand-in for governify/registry
 * develop@5b066ad (GOVERNIFY.md §3–§7, §11), because the real registry needs MongoDB, which the test machines cannot
 * run. It serves the v6 agreement routes with the real statuses and bodies, and on a guarantee-states request it
 * really calls the collector over HTTP (POST, then polls every 200 ms for up to 60 s, honouring 202), forwarding the
 * caller's token as `Cookie: accessToken=…`, evaluates objectives with a safe evaluator, and appends a record to each
 * state on every request, as the real one does.
 */
export interface FakeGovernifyRegistry {
  url: string;
  port: number;
  /** Every request the fake received (method, path with query, headers). */
  requests: { method: string; path: string; headers: IncomingMessage["headers"] }[];
  /** Every collector call the fake made, for assertions on the callback protocol. */
  collectorCalls: { method: string; url: string; cookie: string | undefined; body?: unknown; status: number }[];
  agreements: Map<string, Record<string, unknown>>;
  /** Stored guarantee states with every record appended so far. */
  states: Map<string, { records: unknown[] } & Record<string, unknown>>;
  /** Reproduce the statuscompliance fork: `PUT /agreements/{id}` answers 404. */
  hasNoPut: boolean;
  /** Wait this long before answering any request (a slow registry). */
  delayMs: number;
  close(): Promise<void>;
}

export interface FakeRegistryOptions {
  /** infrastructure.yaml: service key → base URL, e.g. `{ "status-backend": app.baseUrl }`. */
  infrastructure: Record<string, string>;
  /** Listen on this loopback port (0: any). */
  port?: number;
  pollIntervalMs?: number;
  pollTtlMs?: number;
}

const VALID_PERIODS = new Set(["yearly", "monthly", "weekly", "daily", "hourly"]);
const PERIOD_UNITS = { yearly: "year", monthly: "month", weekly: "week", daily: "day", hourly: "hour" } as const;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (typeof body === "string") res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
  else res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return raw ? JSON.parse(raw) : undefined;
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === "accessToken") return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** `governify/commons` periods: an unknown period (such as `annually`) throws wherever periods are derived. */
function assertPeriod(period: unknown): asserts period is keyof typeof PERIOD_UNITS {
  if (typeof period !== "string" || !VALID_PERIODS.has(period))
    throw new HttpProblem(500, `Invalid period: ${String(period)}`);
}

/** The periods one request evaluates (timeAndPeriod.js): exactly [from, to], widened, the last one, or none. */
function requestedPeriods(
  window: Record<string, unknown>,
  timeZone: string,
  query: URLSearchParams,
  now: Date,
): { from: string; to: string }[] {
  const from = query.get("from");
  const to = query.get("to");
  const newPeriods = (query.get("newPeriodsFromGuarantees") ?? "true") === "true";
  const lastPeriod = (query.get("lastPeriod") ?? "true") === "true";
  if (from && to) {
    if (!newPeriods) return [{ from: new Date(from).toISOString(), to: new Date(to).toISOString() }];
    assertPeriod(window.period);
    const unit = PERIOD_UNITS[window.period];
    const start = DateTime.fromISO(from, { zone: timeZone }).startOf(unit);
    const end = DateTime.fromISO(to, { zone: timeZone }).endOf(unit);
    return [{ from: start.toUTC().toISO()!, to: end.toUTC().toISO()! }];
  }
  if (!lastPeriod) return [];
  assertPeriod(window.period);
  const unit = PERIOD_UNITS[window.period];
  const start = DateTime.fromJSDate(now, { zone: timeZone }).startOf(unit);
  return [{ from: start.toUTC().toISO()!, to: now.toISOString() }];
}

/** Starts the fake on 127.0.0.1. */
export async function startFakeGovernifyRegistry(options: FakeRegistryOptions): Promise<FakeGovernifyRegistry> {
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const pollTtlMs = options.pollTtlMs ?? 60_000;
  const fake = {
    requests: [],
    collectorCalls: [],
    agreements: new Map(),
    states: new Map(),
    hasNoPut: false,
    delayMs: 0,
  } as unknown as FakeGovernifyRegistry;

  async function collect(
    collectorKey: string,
    endpoint: string,
    body: unknown,
    token: string | undefined,
  ): Promise<unknown[]> {
    const base = options.infrastructure[collectorKey];
    if (!base) throw new HttpProblem(500, `Service ${collectorKey} is not in the infrastructure`);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...(token ? { cookie: `accessToken=${token}` } : {}),
    };
    const started = await fetch(`${base}${endpoint}`, { method: "POST", headers, body: JSON.stringify(body) });
    const startedBody = (await started.json().catch(() => ({}))) as { computation?: string };
    fake.collectorCalls.push({
      method: "POST",
      url: `${base}${endpoint}`,
      cookie: headers.cookie,
      body,
      status: started.status,
    });
    if (!started.ok || typeof startedBody.computation !== "string")
      throw new HttpProblem(500, `Collector answered ${started.status}: ${JSON.stringify(startedBody)}`);
    const pollUrl = `${base}/${startedBody.computation.replace(/^\//, "")}`;
    for (let ttl = pollTtlMs; ttl >= 0; ttl -= pollIntervalMs) {
      const polled = await fetch(pollUrl, { headers: token ? { cookie: `accessToken=${token}` } : {} });
      fake.collectorCalls.push({ method: "GET", url: pollUrl, cookie: headers.cookie, status: polled.status });
      if (polled.status === 202) {
        await polled.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
        continue;
      }
      if (polled.status !== 200) throw new HttpProblem(500, `Unexpected response status ${polled.status}`);
      const computations = ((await polled.json()) as { computations?: unknown }).computations;
      if (!Array.isArray(computations))
        throw new HttpProblem(500, `Computer response is not an array: ${JSON.stringify(computations)}`);
      return computations;
    }
    throw new HttpProblem(500, "Retries time exceeded TTL.");
  }

  /** One guarantee × `of` element for one period: every metric collected, grouped by (scope, period), evaluated. */
  async function guaranteeStates(
    agreement: any,
    guarantee: any,
    of: any,
    period: { from: string; to: string },
    token: string | undefined,
  ): Promise<Record<string, unknown>[]> {
    const scope = {
      ...Object.fromEntries(
        Object.entries(guarantee.scope ?? {}).map(([key, definition]: [string, any]) => [key, definition?.default]),
      ),
      ...(of.scope ?? {}),
    };
    type Group = { scope: unknown; period: unknown; metrics: Record<string, unknown>; evidences: unknown[] };
    const groups = new Map<string, Group>();
    for (const [metricId, params] of Object.entries(of.with ?? {})) {
      const metric = agreement.terms.metrics[metricId];
      if (!metric) throw new HttpProblem(500, `Metric ${metricId} not found.`);
      const type = String(metric.collector?.type ?? "");
      if (!type.startsWith("POST-GET-V1")) throw new HttpProblem(500, `Unsupported collector type: ${type}`);
      const measure = {
        ...metric.measure,
        params: { ...(metric.measure?.params ?? {}), ...(params as object) },
        scope,
        window: {
          ...of.window,
          initial: period.from,
          end: period.to,
          timeZone: agreement.context?.validity?.timeZone ?? "UTC",
        },
      };
      const computations = await collect(
        metric.collector.infrastructurePath,
        metric.collector.endpoint,
        { config: metric.collector.config, metric: measure },
        token,
      );
      for (const computation of computations as any[]) {
        const key = JSON.stringify([computation.scope, computation.period]);
        const group: Group = groups.get(key) ?? {
          scope: computation.scope,
          period: computation.period,
          metrics: {},
          evidences: [],
        };
        group.metrics[metricId] = computation.value;
        group.evidences.push(computation);
        groups.set(key, group);
      }
    }
    const states: Record<string, unknown>[] = [];
    for (const group of groups.values()) {
      if (Object.values(group.metrics).some((value) => value === "NaN" || value === "")) continue; // the registry skips them with a warning
      const value = evaluateObjective(of.objective, group.metrics);
      const key = JSON.stringify(["guarantees", agreement.id, guarantee.id, group.scope, group.period]);
      const stored: { records: unknown[] } & Record<string, unknown> = fake.states.get(key) ?? {
        stateType: "guarantees",
        agreementId: agreement.id,
        id: guarantee.id,
        scope: group.scope,
        period: group.period,
        records: [],
      };
      stored.records.push({
        value,
        time: new Date().toISOString(),
        metrics: group.metrics,
        evidences: group.evidences,
      });
      fake.states.set(key, stored);
      states.push({
        stateType: "guarantees",
        agreementId: agreement.id,
        id: guarantee.id,
        scope: group.scope,
        period: group.period,
        value,
        metrics: group.metrics,
        evidences: group.evidences,
      });
    }
    return states;
  }

  async function streamGuarantees(
    req: IncomingMessage,
    res: ServerResponse,
    agreementId: string,
    query: URLSearchParams,
  ): Promise<void> {
    const agreement: any = fake.agreements.get(agreementId);
    if (!agreement) throw new HttpProblem(404, `There is no agreement with id: ${agreementId}`);
    const token = cookieToken(req) ?? (req.headers["x-access-token"] as string | undefined);
    // Streaming mode, as develop: the 200 and the array's start go out before any work, so a later failure
    // truncates the body instead of changing the status (GOVERNIFY.md §10, defect 6).
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.write("[\n");
    let isFirst = true;
    try {
      for (const guarantee of agreement.terms.guarantees ?? []) {
        const periods = requestedPeriods(
          guarantee.of[0].window,
          agreement.context?.validity?.timeZone ?? "UTC",
          query,
          new Date(),
        );
        for (const period of periods) {
          for (const of of guarantee.of) {
            for (const state of await guaranteeStates(agreement, guarantee, of, period, token)) {
              res.write(`${isFirst ? "" : ",\n"}${JSON.stringify(state)}`);
              isFirst = false;
            }
          }
        }
      }
      res.end("\n]\n");
    } catch (error) {
      res.end(); // the array is never closed: what a client of the real registry sees
      console.warn(`[fake-governify-registry] guarantees of ${agreementId} failed: ${(error as Error).message}`);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const agreementMatch = /^\/api\/v6\/agreements\/([^/]+)$/.exec(url.pathname);
    const statesMatch = /^\/api\/v6\/states\/([^/]+)\/guarantees$/.exec(url.pathname);
    if (req.method === "GET" && url.pathname === "/api/info")
      return send(res, 200, { name: "governify-registry (FAKE)", version: "3.9.0-fake" });
    if (req.method === "POST" && url.pathname === "/api/v6/agreements") {
      const agreement = (await readJson(req)) as Record<string, unknown>;
      if (fake.agreements.has(String(agreement.id))) throw new HttpProblem(409, "Agreement already exists");
      fake.agreements.set(String(agreement.id), agreement);
      return send(res, 200, "OK");
    }
    if (agreementMatch) {
      const id = decodeURIComponent(agreementMatch[1]!);
      const stored = fake.agreements.get(id);
      if (req.method === "GET") {
        if (!stored) throw new HttpProblem(404, `There is no agreement with id: ${id}`);
        return send(res, 200, { _id: randomBytes(12).toString("hex"), ...stored, __v: 0 });
      }
      if (req.method === "PUT") {
        if (fake.hasNoPut) return send(res, 404, `Cannot PUT ${url.pathname}`);
        if (!stored) throw new HttpProblem(404, `There is no agreement with id: ${id}`);
        const agreement = (await readJson(req)) as Record<string, unknown>;
        fake.agreements.set(id, agreement);
        return send(res, 200, { _id: randomBytes(12).toString("hex"), ...agreement, __v: 0 });
      }
      if (req.method === "DELETE") {
        if (!stored) throw new HttpProblem(404, `There is no agreement with id: ${id}`);
        fake.agreements.delete(id);
        return send(res, 200, { code: 200, message: "Deleted" });
      }
    }
    if (req.method === "GET" && statesMatch)
      return streamGuarantees(req, res, decodeURIComponent(statesMatch[1]!), url.searchParams);
    throw new HttpProblem(404, `Cannot ${req.method} ${url.pathname}`);
  }

  const server: Server = createServer((req, res) => {
    fake.requests.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers });
    const delay = fake.delayMs;
    setTimeout(() => {
      route(req, res).catch((error: unknown) => {
        const status = error instanceof HttpProblem ? error.status : 500;
        if (!res.headersSent) send(res, status, { code: status, message: (error as Error).message });
        else res.end();
      });
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  fake.port = port;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** A FAKE of the Governify director's `/info` (all STATUS probes of it), on 127.0.0.1. */
export async function startFakeDirector(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === "/info")
      return send(res, 200, { info: "This API was generated using oas-generator!", name: "Task list" });
    send(res, 404, { code: 404, message: "Not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
