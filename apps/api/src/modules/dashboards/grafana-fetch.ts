import { AppError } from "../../errors.ts";

/** 502 `grafana_unreachable`: no connection to Grafana (also the app's /grafana/ proxy's answer). */
export function grafanaUnreachable(): AppError {
  return new AppError(502, "grafana_unreachable", "Bad gateway", "Grafana could not be reached");
}

/**
 * One request to Grafana's HTTP API: no answer within `timeoutMs` is 504 `grafana_timeout`, no connection 502
 * `grafana_unreachable`. Redirects are refused (an API answer never redirects; a login page does).
 */
export async function fetchFromGrafana(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new AppError(504, "grafana_timeout", "Gateway timeout", `Grafana did not answer within ${timeoutMs} ms`);
    throw grafanaUnreachable();
  }
}
