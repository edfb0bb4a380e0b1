/**
 * Where the API serves the Node-RED editor (modules/mashups/editor-proxy.ts), for DEVELOPER and ADMIN sessions only;
 * the editor pass cookie is scoped to it.
 */
export const EDITOR_PATH = "/node-red";
