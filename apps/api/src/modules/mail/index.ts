export {
  deliverEvent,
  dueAtFor,
  flushDigests,
  queueEventMail,
  type ControlFollowers,
  type DeliveryOutcome,
  type MailDeliveryOptions,
} from "./mail-delivery.service.ts";
export { notificationPreferenceRoutes } from "./notification-preferences.routes.ts";
export { mailChannel } from "./mail-channel.ts";
