/**
 * Why an OpenID Connect sign-in was refused. Each reason is logged with its detail and shown on the login page as
 * `?error=oidc_<reason>` with a message of its own, so nobody is left with "Unknown".
 */
export type OidcRefusalReason =
  "unavailable" | "denied" | "state_invalid" | "token_invalid" | "no_role" | "not_provisioned" | "account_disabled";

export class OidcRefusal extends Error {
  constructor(
    readonly reason: OidcRefusalReason,
    /** For the log: what exactly failed (never shown to the user). */
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
