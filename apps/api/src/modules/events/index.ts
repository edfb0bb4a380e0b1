export { toCloudEvent } from "./cloud-event.ts";
export { MAX_HOLD_WINDOWS, type OutboxEvent } from "./events.repository.ts";
export { eventRoutes } from "./events.routes.ts";
export {
  dispatchPendingEvents,
  listRecentEvents,
  recordPointStateChanges,
  sweepAlertStates,
  type EventChannel,
} from "./events.service.ts";
