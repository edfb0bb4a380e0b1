export { aiSettingsRoutes } from "./ai-settings.routes.ts";
export {
  assertWithinDailyLimits,
  checkAiConnection,
  createAiClient,
  getAiSettings,
  recordAiUsage,
  resolveAiConnectionFor,
  type DailyLimits,
} from "./ai-settings.service.ts";
export { toAiProblem } from "./openai-errors.ts";
export { loadOpenAI } from "./openai-module.ts";
export { aiSettingsApiKeyColumn } from "./ai-encrypted-columns.ts";
