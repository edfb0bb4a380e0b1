import type { Role } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { getUser } from "../users/index.ts";

/** The headers Grafana's auth proxy reads (GF_AUTH_PROXY_HEADER_NAME and GF_AUTH_PROXY_HEADERS). */
export const WEBAUTH_HEADERS = {
  user: "X-WEBAUTH-USER",
  name: "X-WEBAUTH-NAME",
  email: "X-WEBAUTH-EMAIL",
  role: "X-WEBAUTH-ROLE",
} as const;

/** STATUS roles as Grafana organisation roles: developers edit dashboards, administrators administer Grafana. */
const GRAFANA_ROLES: Record<Role, "Viewer" | "Editor" | "Admin"> = {
  USER: "Viewer",
  DEVELOPER: "Editor",
  ADMIN: "Admin",
};

// Header values must be visible ASCII; a display name outside it falls back to the username rather than break the
// request.
const HEADER_SAFE = /^[\x20-\x7e]+$/;

/** Who the signed-in actor is for Grafana, as auth-proxy headers. */
export async function grafanaIdentityHeaders(deps: AppDeps, actor: Actor): Promise<Record<string, string>> {
  // The actor (from the token) has the username and role only; the display name and email Grafana syncs are in the
  // users table.
  const user = await getUser(deps, actor.userId);
  const name = user.displayName && HEADER_SAFE.test(user.displayName) ? user.displayName : user.username;
  return {
    [WEBAUTH_HEADERS.user]: user.username,
    [WEBAUTH_HEADERS.name]: name,
    ...(user.email && HEADER_SAFE.test(user.email) ? { [WEBAUTH_HEADERS.email]: user.email } : {}),
    [WEBAUTH_HEADERS.role]: GRAFANA_ROLES[actor.role],
  };
}
