import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/** An account at the test provider: its claims, which a test may change between sign-ins (a group change). */
export interface ProviderAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, ProviderAccount>;
  /** Who signs in at the provider's login step. */
  signInAs(sub: string): void;
  /** Rewrites the next ID token, re-signed with the provider's own key (a token meant for another client, say). */
  tamperNextIdToken(change: (claims: JWTPayload) => JWTPayload): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (node-oidc-provider) on the loopback, with one confidential client that must use
 * PKCE. Its login and consent steps complete on their own for the account chosen with `signInAs`, so a test can play
 * the browser by following redirects.
 */
export async function startTestOidcProvider(input: { redirectUri: string }): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const accounts = new Map<string, ProviderAccount>();
  let currentSub = "";
  let tamper: ((claims: JWTPayload) => JWTPayload) | undefined;
  const clientId = "status-test";
  const clientSecret = "status-test-secret-0123456789abcdef";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [input.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
      groups: ["groups"],
    },
    scopes: ["openid", "email", "profile", "groups", "offline_access"],
    // The ID token carries the claims itself, as with most enterprise providers.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ ...accounts.get(sub)!, sub }) } : undefined;
    },
    async loadExistingGrant(ctx) {
      // Consent is implied: every sign-in is granted what the client asked for.
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["email", "email_verified", "name", "preferred_username", "groups"]);
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    if (ctx.path.startsWith("/interaction/")) {
      const redirectTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: currentSub } });
      ctx.status = 303;
      ctx.redirect(redirectTo);
      return;
    }
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === "/token" && tamper && body?.id_token) {
      const change = tamper;
      tamper = undefined;
      const claims = change(decodeJwt(body.id_token));
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(privateKey);
    }
  });
  const handle = provider.callback();
  server.on("request", (req, res) => void handle(req, res));

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signInAs(sub) {
      currentSub = sub;
    },
    tamperNextIdToken(change) {
      tamper = change;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
