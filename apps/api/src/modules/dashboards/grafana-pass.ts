import { createSessionPass } from "../auth/index.ts";

/**
 * Grafana's pass: keeps /grafana/ open after the access token expires, while the session lasts. Sent only under
 * GRAFANA_PUBLIC_PATH.
 */
const grafanaPass = createSessionPass({
  cookie: "status_grafana",
  audience: "status-grafana",
  ttlSeconds: 8 * 60 * 60,
  label: "Grafana pass",
  renewHint: "open Grafana from STATUS again",
});

export const GRAFANA_PASS_COOKIE = grafanaPass.cookie;
export const GRAFANA_PASS_TTL_SECONDS = grafanaPass.ttlSeconds;
export const signGrafanaPass = grafanaPass.sign;
export const actorForGrafanaPass = grafanaPass.actorFor;
/** Who a request to Grafana comes from: the access cookie, else the Grafana pass; null when neither is valid. */
export const createGrafanaActorResolver = grafanaPass.resolver;
