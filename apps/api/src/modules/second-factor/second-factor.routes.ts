import {
  ConfirmTotpBodySchema,
  IdParamsSchema,
  RecoveryCodesSchema,
  SecondFactorPolicySchema,
  SecondFactorProofBodySchema,
  SecondFactorStatusSchema,
  TotpEnrolmentSchema,
  UpdateSecondFactorPolicyBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getUser } from "../users/index.ts";
import {
  confirmTotpEnrolment,
  disableOwnSecondFactor,
  getSecondFactorPolicy,
  getSecondFactorStatus,
  renewRecoveryCodes,
  resetUserSecondFactor,
  startTotpEnrolment,
  updateSecondFactorPolicy,
} from "./second-factor.service.ts";

/** Your own second factor (profile page), and the ADMIN's policy and reset. */
export function secondFactorRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/auth/second-factor",
      summary: "Your second factor: on or off, recovery codes left, whether your role requires one",
      tag: "Auth",
      access: "USER",
      responses: { 200: { description: "Status", schema: SecondFactorStatusSchema } },
      async handler({ res, actor }) {
        res.json(await getSecondFactorStatus(deps, actor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/second-factor/totp",
      summary: "Start a TOTP enrolment: a new secret with its QR code (confirm it with a code)",
      tag: "Auth",
      access: "USER",
      responses: {
        200: { description: "The secret to scan", schema: TotpEnrolmentSchema },
        409: { description: "Already on" },
      },
      async handler({ res, actor }) {
        res.set("Cache-Control", "no-store").json(await startTotpEnrolment(deps, actor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/second-factor/totp/confirm",
      summary: "Confirm the enrolment with a code; answers ten recovery codes, shown once",
      tag: "Auth",
      access: "USER",
      body: ConfirmTotpBodySchema,
      responses: {
        200: { description: "Recovery codes", schema: RecoveryCodesSchema },
        401: { description: "Wrong code" },
      },
      async handler({ res, actor, body }) {
        const codes = await confirmTotpEnrolment(deps, { userId: actor.userId, code: body.code, actor });
        res.set("Cache-Control", "no-store").json(codes);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/auth/second-factor/totp",
      summary: "Turn your second factor off (with a current code); refused while your role requires one",
      tag: "Auth",
      access: "USER",
      body: SecondFactorProofBodySchema,
      responses: { 204: { description: "Off" }, 409: { description: "Required by your role, or not on" } },
      async handler({ res, actor, body }) {
        await disableOwnSecondFactor(deps, actor, body.code);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/second-factor/recovery-codes",
      summary: "Replace your recovery codes (with a current code); the old ones stop working",
      tag: "Auth",
      access: "USER",
      body: SecondFactorProofBodySchema,
      responses: { 200: { description: "New recovery codes, shown once", schema: RecoveryCodesSchema } },
      async handler({ res, actor, body }) {
        res.set("Cache-Control", "no-store").json(await renewRecoveryCodes(deps, actor, body.code));
      },
    }),
    defineRoute({
      method: "get",
      path: "/second-factor-policy",
      summary: "Which roles must sign in with a second factor",
      tag: "Users",
      access: "ADMIN",
      responses: { 200: { description: "The policy", schema: SecondFactorPolicySchema } },
      async handler({ res }) {
        res.json(await getSecondFactorPolicy(deps));
      },
    }),
    defineRoute({
      method: "put",
      path: "/second-factor-policy",
      summary: "Require a second factor of roles (applies at each user's next sign-in; audited)",
      tag: "Users",
      access: "ADMIN",
      body: UpdateSecondFactorPolicyBodySchema,
      responses: { 200: { description: "The policy", schema: SecondFactorPolicySchema } },
      async handler({ res, actor, body }) {
        res.json(await updateSecondFactorPolicy(deps, actor, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/users/:id/second-factor",
      summary: "Reset a user's second factor (a lost phone; audited)",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      responses: { 204: { description: "Reset" }, 404: { description: "No such user" } },
      async handler({ res, actor, params }) {
        await getUser(deps, params.id);
        await resetUserSecondFactor(deps, actor, params.id);
        res.status(204).end();
      },
    }),
  ];
}
