import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import type { Actor } from "../actor.ts";
import { cookieValue, createCookieAuthenticator } from "../auth/authenticate.ts";
import type { AuthKeys } from "../auth/secrets.ts";
import { createSessionPass } from "../auth/session-pass.ts";

/** Sent only under GRAFANA_PUBLIC_PATH (the app's Grafana proxy). */
export const GRAFANA_PASS_COOKIE = "status_grafana";

/** Grafana's pass: keeps the app's /grafana/ proxy open after the access token expires, while the session lasts. */
const grafanaPass = createSessionPass({ audience: "status-grafana", ttlSeconds: 8 * 60 * 60, label: "Grafana pass", renewHint: "open Grafana from STATUS again" });

export const GRAFANA_PASS_TTL_SECONDS = grafanaPass.ttlSeconds;
export const signGrafanaPass = grafanaPass.sign;
export const actorForGrafanaPass = grafanaPass.actorFor;

/**
 * Who a request to Grafana comes from: the session's access cookie, else the Grafana pass (the access token may have
 * expired while Grafana was open). Null when neither is valid.
 */
export function createGrafanaActorResolver(deps: AppDeps, keys: AuthKeys): (cookieHeader: string | undefined) => Promise<Actor | null> {
  const authenticate = createCookieAuthenticator(deps, keys);
  return async (cookieHeader) => {
    const pass = cookieValue(cookieHeader, GRAFANA_PASS_COOKIE);
    return (await unlessUnauthenticated(authenticate(cookieHeader))) ?? (pass ? await unlessUnauthenticated(actorForGrafanaPass(deps, keys, pass)) : null);
  };
}

async function unlessUnauthenticated(authenticating: Promise<Actor | null>): Promise<Actor | null> {
  try {
    return await authenticating;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return null;
    throw error;
  }
}
