import { NotificationPreferencesSchema, UpdateNotificationPreferencesBodySchema } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getNotificationPreferences, updateNotificationPreferences } from "./notification-preferences.service.ts";

/** Your own e-mail notification preferences (Profile → Notifications); every signed-in user has them. */
export function notificationPreferenceRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/me/notification-preferences",
      summary: "Your e-mail notification preferences, and whether this server sends e-mail",
      tag: "Notifications",
      access: "USER",
      responses: { 200: { description: "Preferences", schema: NotificationPreferencesSchema } },
      async handler({ res, actor }) {
        res.json(await getNotificationPreferences(deps, actor));
      },
    }),
    defineRoute({
      method: "put",
      path: "/me/notification-preferences",
      summary: "Replace your e-mail notification preferences: event types, which controls, immediate or digest",
      tag: "Notifications",
      access: "USER",
      body: UpdateNotificationPreferencesBodySchema,
      responses: {
        200: { description: "Saved", schema: NotificationPreferencesSchema },
        400: { description: "Invalid, or a selected catalog or control does not exist" },
      },
      async handler({ res, actor, body }) {
        res.json(await updateNotificationPreferences(deps, actor, body));
      },
    }),
  ];
}
