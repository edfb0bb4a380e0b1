export { createEditorProxy, type EditorProxy } from "./editor-proxy.ts";
export { mashupRoutes } from "./mashups.routes.ts";
export { getMashup, getMashupEvidence, getMashupFlow } from "./mashups.service.ts";
