import { createSessionPass } from "./session-pass.ts";

/** Sent only under /node-red (the editor proxy). */
export const EDITOR_PASS_COOKIE = "status_editor";

/** The Node-RED editor's pass, issued with the editor hand-off; it lives as long as the editor's own token (settings.cjs: sessionExpiryTime). */
const editorPass = createSessionPass({ audience: "status-node-red-editor", ttlSeconds: 8 * 60 * 60, label: "editor pass", renewHint: "open the editor from STATUS again" });

export const EDITOR_PASS_TTL_SECONDS = editorPass.ttlSeconds;
export const signEditorPass = editorPass.sign;
export const actorForEditorPass = editorPass.actorFor;
