export { totpSecretColumn } from "./second-factor-encrypted-columns.ts";
export { secondFactorRoutes } from "./second-factor.routes.ts";
export {
  confirmTotpEnrolment,
  hasSecondFactor,
  isSecondFactorRequired,
  startTotpEnrolment,
  verifySecondFactor,
} from "./second-factor.service.ts";
