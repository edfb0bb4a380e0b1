export { createEditorProxy, type EditorProxy } from "./editor-proxy.ts";
export { getMashupLimits } from "./mashup-limits.service.ts";
export { mashupRoutes } from "./mashups.routes.ts";
export { getMashup, getMashupEvidence, getMashupFlow } from "./mashups.service.ts";
