/**
 * Preloaded into an embedded Node-RED (`node --require parent-watch.cjs red.js`). The API starts Node-RED with an IPC
 * channel; when the API exits for any reason, even SIGKILL, the channel closes and Node-RED stops with it instead of
 * holding its port as an orphan.
 */
if (process.connected) {
  process.on("disconnect", () => process.exit(0));
}
