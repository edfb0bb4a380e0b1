export {
  deliverEvent,
  dueAtFor,
  flushDigests,
  type ControlFollowers,
  type DeliveryOutcome,
  type MailDeliveryOptions,
} from "./mail-delivery.service.ts";
export { notificationPreferenceRoutes } from "./notification-preferences.routes.ts";
