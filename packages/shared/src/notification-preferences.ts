import { z } from "zod";
import { IdSchema, IsoDateTimeSchema } from "./common.ts";
import { EventTypeSchema } from "./events.ts";

/** How a user's e-mail arrives: one mail per change, or one digest per UTC hour or UTC day. */
export const MailDeliveryModeSchema = z.enum(["immediate", "hourly", "daily"]);
export type MailDeliveryMode = z.infer<typeof MailDeliveryModeSchema>;

/**
 * Which controls a user hears about: `all` controls, the `selected` catalogs (every control in them) and controls, or
 * the controls the user `owned_or_watched` (owners and watchers of a control).
 */
export const NotificationScopeSchema = z.enum(["all", "selected", "owned_or_watched"]);
export type NotificationScope = z.infer<typeof NotificationScopeSchema>;

const MAX_SELECTED = 200;

/** `PUT /me/notification-preferences`: the whole preference, replaced. An empty `eventTypes` list turns e-mail off. */
export const UpdateNotificationPreferencesBodySchema = z
  .strictObject({
    eventTypes: z.array(EventTypeSchema).max(EventTypeSchema.options.length),
    scope: NotificationScopeSchema,
    catalogIds: z.array(IdSchema).max(MAX_SELECTED).default([]),
    controlIds: z.array(IdSchema).max(MAX_SELECTED).default([]),
    delivery: MailDeliveryModeSchema,
  })
  .refine((body) => body.scope !== "selected" || body.catalogIds.length + body.controlIds.length > 0, {
    message: "Select at least one catalog or control, or choose another scope",
    path: ["catalogIds"],
  })
  .refine((body) => new Set(body.eventTypes).size === body.eventTypes.length, {
    message: "List each event type once",
    path: ["eventTypes"],
  });
export type UpdateNotificationPreferencesBody = z.infer<typeof UpdateNotificationPreferencesBodySchema>;

/** The caller's e-mail notification preferences, and whether this server can send e-mail at all. */
export const NotificationPreferencesSchema = z.object({
  eventTypes: z.array(EventTypeSchema),
  scope: NotificationScopeSchema,
  catalogIds: z.array(IdSchema),
  controlIds: z.array(IdSchema),
  delivery: MailDeliveryModeSchema,
  /** The address mail goes to (the account's e-mail); null: none set, so nothing can be sent. */
  email: z.string().nullable(),
  /** False when SMTP_URL is not configured: preferences are kept, but no mail is sent. */
  isEmailEnabled: z.boolean(),
  /** Null until the user saves preferences for the first time. */
  updatedAt: IsoDateTimeSchema.nullable(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;
