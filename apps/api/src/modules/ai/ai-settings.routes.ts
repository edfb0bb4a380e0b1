import {
  AiConnectionCheckSchema,
  AiSettingsSchema,
  AiUsageListSchema,
  AiUsageQuerySchema,
  MyAiUsageSchema,
  UpdateAiSettingsBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  checkAiConnection,
  getAiSettings,
  getMyAiUsage,
  listAiUsage,
  updateAiSettings,
} from "./ai-settings.service.ts";

export function aiSettingsRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/ai/settings",
      summary: "The AI settings (the API key is never returned, only whether one is set and its last 4 characters)",
      tag: "AI",
      access: "ADMIN",
      responses: { 200: { description: "The settings", schema: AiSettingsSchema } },
      async handler({ res }) {
        res.json(await getAiSettings(deps));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/ai/settings",
      summary:
        "Change the AI settings: API key (stored encrypted; null removes it), base URL, default model, daily limits",
      tag: "AI",
      access: "ADMIN",
      body: UpdateAiSettingsBodySchema,
      responses: { 200: { description: "The settings", schema: AiSettingsSchema } },
      async handler({ res, actor, body }) {
        res.json(await updateAiSettings(deps, actor, body));
      },
    }),
    defineRoute({
      method: "post",
      path: "/ai/settings/check",
      summary: "Check the key and server: list the server's models",
      tag: "AI",
      access: "ADMIN",
      responses: {
        200: {
          description: "Whether the server answered, or what is wrong (invalid key, unreachable, no credit…)",
          schema: AiConnectionCheckSchema,
        },
      },
      async handler({ res }) {
        res.json(await checkAiConnection(deps));
      },
    }),
    defineRoute({
      method: "get",
      path: "/ai/usage",
      summary: "Model requests and tokens per user and UTC day (newest first, at most 1000 rows)",
      tag: "AI",
      access: "ADMIN",
      query: AiUsageQuerySchema,
      responses: { 200: { description: "Usage rows", schema: AiUsageListSchema } },
      async handler({ res, query }) {
        res.json({ items: await listAiUsage(deps, query) });
      },
    }),
    defineRoute({
      method: "get",
      path: "/ai/usage/me",
      summary: "Your own AI usage today, against the daily limits",
      tag: "AI",
      access: "USER",
      responses: { 200: { description: "Today's usage", schema: MyAiUsageSchema } },
      async handler({ res, actor }) {
        res.json(await getMyAiUsage(deps, actor.userId));
      },
    }),
  ];
}
