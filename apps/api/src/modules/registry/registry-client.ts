import { z } from "zod";
import type { Agreement } from "./agreement.ts";

/** A registry call that failed: unreachable or too slow (`isUnavailable`), or an answer we cannot use. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly isUnavailable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One item of `GET /api/v6/states/{id}/guarantees` (GOVERNIFY.md §6); only the fields STATUS reads are checked. */
export const GuaranteeStateSchema = z.looseObject({
  agreementId: z.string(),
  id: z.string(),
  scope: z.record(z.string(), z.unknown()).default({}),
  period: z.object({ from: z.string(), to: z.string() }),
  value: z.unknown(),
  metrics: z.record(z.string(), z.unknown()).default({}),
  evidences: z.array(z.unknown()).default([]),
});
export type GuaranteeState = z.infer<typeof GuaranteeStateSchema>;

export interface RegistryClient {
  readonly baseUrl: string;
  getAgreement(id: string): Promise<Record<string, unknown> | null>;
  createAgreement(agreement: Agreement): Promise<void>;
  /** PUT; false when the registry has no such route or agreement (404), as on the statuscompliance fork. */
  replaceAgreement(agreement: Agreement): Promise<boolean>;
  deleteAgreement(id: string): Promise<void>;
  /** The guarantee states of exactly [from, to], computed now; `token` is forwarded to our collector. */
  getGuaranteeStates(
    agreementId: string,
    period: { from: string; to: string },
    token: string,
  ): Promise<GuaranteeState[]>;
  /** `GET /api/info`: the registry's package.json (its version). */
  info(): Promise<{ version: string | null }>;
}

/** The registry's error bodies are `{code, message}`; anything else is quoted briefly. */
function describeFailure(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (body && typeof body.message === "string") return `registry answered ${status}: ${body.message}`;
    if (body && body.message !== undefined)
      return `registry answered ${status}: ${JSON.stringify(body.message).slice(0, 300)}`;
  } catch {
    // not JSON: quoted below
  }
  return `registry answered ${status}${text ? `: ${text.slice(0, 300)}` : ""}`;
}

/** An HTTP client of governify/registry's v6 API (develop@5b066ad). Every call has the configured time limit. */
export function createRegistryClient(options: { baseUrl: string; timeoutMs: number }): RegistryClient {
  const api = `${options.baseUrl}/api/v6`;

  async function call(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { accept: "application/json", ...(init.headers ?? {}) };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      const isTimeout = (error as Error).name === "TimeoutError";
      throw new RegistryError(
        isTimeout
          ? `the registry did not answer within ${options.timeoutMs} ms`
          : `the registry is unreachable: ${(error as Error).message}`,
        true,
        { cause: error },
      );
    }
  }

  function expectOk(result: { status: number; text: string }): void {
    if (result.status < 200 || result.status >= 300)
      throw new RegistryError(describeFailure(result.status, result.text), result.status >= 500);
  }

  function parseJson(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      // The registry streams states and starts with 200 before computing, so a failure mid-way truncates the body.
      throw new RegistryError(
        `the registry's ${what} is not complete JSON (${text.length} bytes): ${text.slice(0, 200)}`,
        false,
      );
    }
  }

  const agreementUrl = (id: string) => `${api}/agreements/${encodeURIComponent(id)}`;
  return {
    baseUrl: options.baseUrl,
    async getAgreement(id) {
      const result = await call("GET", agreementUrl(id));
      if (result.status === 404) return null;
      expectOk(result);
      return parseJson(result.text, "agreement") as Record<string, unknown>;
    },
    async createAgreement(agreement) {
      expectOk(await call("POST", `${api}/agreements`, { body: agreement }));
    },
    async replaceAgreement(agreement) {
      const result = await call("PUT", agreementUrl(agreement.id), { body: agreement });
      if (result.status === 404) return false;
      expectOk(result);
      return true;
    },
    async deleteAgreement(id) {
      const result = await call("DELETE", agreementUrl(id));
      if (result.status !== 404) expectOk(result);
    },
    async getGuaranteeStates(agreementId, period, token) {
      // newPeriodsFromGuarantees=false: the registry evaluates exactly [from, to], our window, not one it widens.
      const query = new URLSearchParams({
        from: period.from,
        to: period.to,
        newPeriodsFromGuarantees: "false",
        lastPeriod: "false",
      });
      const result = await call("GET", `${api}/states/${encodeURIComponent(agreementId)}/guarantees?${query}`, {
        headers: { "x-access-token": token },
      });
      expectOk(result);
      const parsed = z.array(GuaranteeStateSchema).safeParse(parseJson(result.text, "guarantee states"));
      if (!parsed.success)
        throw new RegistryError(
          `the registry's guarantee states have an unexpected shape: ${parsed.error.issues[0]?.message}`,
          false,
        );
      return parsed.data;
    },
    async info() {
      const result = await call("GET", `${options.baseUrl}/api/info`);
      expectOk(result);
      const body = parseJson(result.text, "info") as { version?: unknown };
      return { version: typeof body?.version === "string" ? body.version : null };
    },
  };
}
