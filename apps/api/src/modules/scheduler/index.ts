export { scheduleDueWindows } from "./scheduler.service.ts";
