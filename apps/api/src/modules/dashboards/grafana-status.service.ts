import type { AppDeps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { requireGrafana } from "./grafana-access.ts";
import { grafanaCredentials } from "./grafana-credentials.ts";

type Deps = Pick<AppDeps, "config" | "db" | "cache" | "log">;

/** Grafana as the system health and the dashboards page show it. */
export interface GrafanaProbe {
  status: "up" | "down" | "pending" | "not_configured";
  version: string | null;
  detail: string | null;
}

/**
 * Whether Grafana answers and takes STATUS's credential. `pending` while STATUS waits for Grafana to answer for the
 * first time (its service account is made then), `down` when Grafana stops answering afterwards or refuses the
 * credential, with what to fix.
 */
export async function probeGrafana(deps: Deps): Promise<GrafanaProbe> {
  const config = deps.config.grafana;
  if (!config.isEnabled) return { status: "not_configured", version: null, detail: null };
  const credentials = grafanaCredentials(deps, config);
  const client = requireGrafana(deps);
  let version: string | null = null;
  try {
    const health = await client.health();
    version = health.version ?? null;
    await client.verifyAccess();
    const database = health.database ? `database ${health.database}; ` : "";
    return { status: "up", version, detail: `${database}${credentials.state.detail}` };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "grafana_pending" || credentials.state.phase === "pending")
      return { status: "pending", version, detail: credentials.state.detail };
    return { status: "down", version, detail: error.message };
  }
}

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 60_000;

/**
 * Makes STATUS's Grafana credential when the API starts rather than at the first dashboards request: at once, then
 * again with backoff (1 s doubling to a minute) while Grafana does not answer or refuses the admin credentials, until
 * it has a token. The API serves meanwhile; the dashboards routes answer 503 `grafana_pending`.
 */
export function startGrafanaBootstrap(deps: Deps): { stop: () => void } {
  const config = deps.config.grafana;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  if (!config.isEnabled || config.credentials.kind !== "managed") return { stop() {} };
  const credentials = grafanaCredentials(deps, config);
  let delayMs = FIRST_RETRY_MS;
  let lastDetail = "";

  const attempt = async () => {
    try {
      await requireGrafana(deps).verifyAccess();
      deps.log.info("Grafana takes STATUS's service-account token");
      return;
    } catch (error) {
      if (!(error instanceof AppError)) deps.log.error({ err: error }, "making the Grafana service account failed");
      const { detail } = credentials.state;
      if (detail !== lastDetail) deps.log.warn({ grafana: credentials.state.phase }, `Grafana: ${detail}`);
      lastDetail = detail;
    }
    if (isStopped) return;
    timer = setTimeout(() => void attempt(), delayMs);
    timer.unref();
    delayMs = Math.min(delayMs * 2, LONGEST_RETRY_MS);
  };
  void attempt();
  return {
    stop() {
      isStopped = true;
      clearTimeout(timer);
    },
  };
}
