import type { UserSession } from "@status/shared";

const METHODS: Record<UserSession["authMethod"], string> = {
  password: "Password",
  github: "GitHub",
  oidc: "Single sign-on",
};

/** How a session is named on the page: its device, or the way it signed in when the device is unknown. */
export function sessionName(session: UserSession): string {
  return session.deviceLabel ?? `Unknown device (${METHODS[session.authMethod]})`;
}

export function sessionMethod(session: UserSession): string {
  return METHODS[session.authMethod];
}
