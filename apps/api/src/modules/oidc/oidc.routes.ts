import type { Response } from "express";
import { z } from "zod";
import type { AppDeps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { setSessionCookies } from "../auth/index.ts";
import { createProviderClient } from "./oidc-provider-client.ts";
import { OidcRefusal } from "./oidc-refusal.ts";
import { finishOidcSignIn, OIDC_STATE_TTL_SECONDS, startOidcSignIn } from "./oidc.service.ts";

const STATE_COOKIE = "status_oidc";
const CALLBACK_PATH = "/api/v1/auth/oidc";

const CallbackQuerySchema = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  iss: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  session_state: z.string().max(500).optional(),
});

function disabled(): AppError {
  return new AppError(
    404,
    "oidc_disabled",
    "Single sign-on is disabled",
    "Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET",
  );
}

/** A refused sign-in goes back to the login page with its reason; the log has the detail. */
function refuse(deps: AppDeps, res: Response, refusal: OidcRefusal): void {
  deps.log.warn(
    { reason: refusal.reason, detail: refusal.detail, requestId: res.locals.requestId },
    "OIDC sign-in refused",
  );
  res.redirect(302, `/login?error=oidc_${refusal.reason}`);
}

export function oidcRoutes(deps: AppDeps): RouteDefinition[] {
  const oidc = deps.config.oidc;
  const providerConfiguration = oidc.isEnabled ? createProviderClient(oidc) : undefined;
  return [
    defineRoute({
      method: "get",
      path: "/auth/oidc",
      summary: "Start single sign-on with the OpenID Connect provider (code flow with PKCE, state and nonce)",
      tag: "Auth",
      access: "public",
      responses: {
        302: { description: "Redirect to the provider, or to /login?error=oidc_unavailable" },
        404: { description: "Single sign-on is disabled" },
      },
      async handler({ res }) {
        if (!oidc.isEnabled || !providerConfiguration) throw disabled();
        try {
          const { url, state } = await startOidcSignIn(deps, oidc, providerConfiguration);
          res.cookie(STATE_COOKIE, state, {
            httpOnly: true,
            sameSite: "lax",
            secure: deps.config.auth.secureCookies,
            path: CALLBACK_PATH,
            maxAge: OIDC_STATE_TTL_SECONDS * 1000,
          });
          res.redirect(302, url);
        } catch (error) {
          if (error instanceof OidcRefusal) return refuse(deps, res, error);
          throw error;
        }
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/oidc/callback",
      summary: "The provider's redirect back: signs in the matched user, or back to /login with the refusal's reason",
      tag: "Auth",
      access: "public",
      query: CallbackQuerySchema,
      responses: { 302: { description: "Into the SPA signed in, or to /login?error=oidc_<reason>" } },
      async handler({ req, res }) {
        if (!oidc.isEnabled || !providerConfiguration) throw disabled();
        res.clearCookie(STATE_COOKIE, { path: CALLBACK_PATH });
        const callbackUrl = new URL(oidc.redirectUrl);
        callbackUrl.search = new URL(req.originalUrl, "http://callback.invalid").search;
        try {
          const session = await finishOidcSignIn(deps, oidc, providerConfiguration, {
            callbackUrl,
            stateCookie: (req.cookies as Record<string, string> | undefined)?.[STATE_COOKIE],
            client: { ipAddress: req.ip, userAgent: req.get("user-agent") },
            requestId: res.locals.requestId as string,
          });
          setSessionCookies(res, deps.config, deps.keys, session);
          res.redirect(302, "/");
        } catch (error) {
          if (error instanceof OidcRefusal) return refuse(deps, res, error);
          throw error;
        }
      },
    }),
  ];
}
