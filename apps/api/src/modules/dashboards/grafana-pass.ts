import { createSessionPass } from "../auth/session-pass.ts";

/** Sent only under GRAFANA_PUBLIC_PATH (the app's Grafana proxy). */
export const GRAFANA_PASS_COOKIE = "status_grafana";

/** Grafana's pass: keeps the app's /grafana/ proxy open after the access token expires, while the session lasts. */
const grafanaPass = createSessionPass({ audience: "status-grafana", ttlSeconds: 8 * 60 * 60, label: "Grafana pass", renewHint: "open Grafana from STATUS again" });

export const GRAFANA_PASS_TTL_SECONDS = grafanaPass.ttlSeconds;
export const signGrafanaPass = grafanaPass.sign;
export const actorForGrafanaPass = grafanaPass.actorFor;
