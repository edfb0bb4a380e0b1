import * as client from "openid-client";
import type { Config } from "../../config.ts";
import { OidcRefusal } from "./oidc-refusal.ts";

type OidcConfig = Extract<Config["oidc"], { isEnabled: true }>;

/**
 * The provider's metadata, discovered from OIDC_ISSUER on first use and kept for the process. A failed discovery is
 * not kept, so the next sign-in tries again once the provider is back.
 */
export function createProviderClient(config: OidcConfig) {
  let discovered: Promise<client.Configuration> | undefined;
  return async function providerConfiguration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        timeout: Math.ceil(config.timeoutMs / 1000),
        // Plain http only when the issuer itself is http (a provider on the loopback or a private network).
        ...(config.issuer.startsWith("http:") ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw new OidcRefusal("unavailable", `discovery of ${config.issuer} failed: ${describe(error)}`);
      });
    return discovered;
  };
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${cause}`;
}
