/**
 * Node-RED settings as STATUS runs it: embedded (the API spawns Node-RED with these variables) or as its own service
 * (compose sets the same variables). Nothing secret is written here; every credential arrives through the environment.
 *
 *   NODE_RED_SERVICE_USER           the one admin and HTTP-node account (default status-service)
 *   NODE_RED_SERVICE_PASSWORD_HASH  its bcrypt hash (required: Node-RED refuses to start without it)
 *   NODE_RED_CREDENTIAL_SECRET      encrypts flows_cred.json (required)
 *   NODE_RED_HTTP_ROOT              where http-in nodes are served (default /api/v1)
 *   NODE_RED_UI_HOST / NODE_RED_UI_PORT / NODE_RED_USER_DIR   where it listens and keeps its data
 *   STATUS_SAMPLE_DATA_DIR          the example mashups' data (default: sample-data beside this file)
 */
const path = require("node:path");

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (see apps/nodered/settings.cjs)`);
  return value;
}

const serviceUser = process.env.NODE_RED_SERVICE_USER || "status-service";
const servicePasswordHash = required("NODE_RED_SERVICE_PASSWORD_HASH");

// Flows read it with env.get("STATUS_SAMPLE_DATA_DIR"); set here so a compose file needs not know the path.
process.env.STATUS_SAMPLE_DATA_DIR ||= path.join(__dirname, "sample-data");

module.exports = {
  uiHost: process.env.NODE_RED_UI_HOST || "127.0.0.1",
  uiPort: Number(process.env.NODE_RED_UI_PORT || 1880),
  userDir: process.env.NODE_RED_USER_DIR || undefined,
  flowFile: "flows.json",
  flowFilePretty: true,
  credentialSecret: required("NODE_RED_CREDENTIAL_SECRET"),

  // The API's proxy serves the editor at /node-red/ and strips the prefix, so the editor lives at the root here;
  // its pages use relative URLs (comms included), which keeps it working under the prefix.
  httpAdminRoot: "/",
  httpNodeRoot: process.env.NODE_RED_HTTP_ROOT || "/api/v1",

  // One account: the STATUS service. Users never sign in to Node-RED; the API hands the editor a token of this
  // account after checking the user's STATUS role (GET /api/v1/mashups/editor).
  adminAuth: {
    type: "credentials",
    sessionExpiryTime: 8 * 60 * 60,
    users: [{ username: serviceUser, password: servicePasswordHash, permissions: "*" }],
  },
  httpNodeAuth: { user: serviceUser, pass: servicePasswordHash },

  // The exec node would run shell commands as the API's OS user when Node-RED is embedded.
  nodesExcludes: ["90-exec.js"],
  functionExternalModules: false,
  externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpdate: false, allowUpload: false } },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  logging: { console: { level: "warn", metrics: false, audit: false } },
  editorTheme: {
    page: { title: "STATUS · Mashups" },
    header: { title: "STATUS · Mashups" },
    projects: { enabled: false },
    tours: false,
    codeEditor: { lib: "monaco" },
    multiplayer: { enabled: false },
  },
  exportGlobalContextKeys: false,
  functionGlobalContext: {},
  debugMaxLength: 1000,
};
