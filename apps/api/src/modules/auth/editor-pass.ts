import { createSessionPass } from "./session-pass.ts";

/**
 * The Node-RED editor's pass, issued with the editor hand-off; it lives as long as the editor's own token
 * (settings.cjs: sessionExpiryTime).
 */
const editorPass = createSessionPass({
  cookie: "status_editor",
  audience: "status-node-red-editor",
  ttlSeconds: 8 * 60 * 60,
  label: "editor pass",
  renewHint: "open the editor from STATUS again",
});

/** Sent only under /node-red (the editor proxy). */
export const EDITOR_PASS_COOKIE = editorPass.cookie;
export const EDITOR_PASS_TTL_SECONDS = editorPass.ttlSeconds;
export const signEditorPass = editorPass.sign;
export const actorForEditorPass = editorPass.actorFor;
/** Who a request to the editor comes from: the access cookie, else the editor pass; null when neither is valid. */
export const createEditorActorResolver = editorPass.resolver;
