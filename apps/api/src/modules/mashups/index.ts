export { createEditorProxy, type EditorProxy } from "./editor-proxy.ts";
export { mashupRoutes } from "./mashups.routes.ts";
export { getMashup, getMashupFlow } from "./mashups.service.ts";
