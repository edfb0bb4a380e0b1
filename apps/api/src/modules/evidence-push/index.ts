export { evidencePushRoutes } from "./evidence-push.routes.ts";
export { submitEvidence, type SubmitEvidenceOptions } from "./evidence-push.service.ts";
export { closeDuePushWindows } from "./push-window-close.service.ts";
