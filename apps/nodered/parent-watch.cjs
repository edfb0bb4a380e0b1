/**
 * Preloaded into an embedded Node-RED (`node --require parent-watch.cjs red.js`). The API starts Node-RED with an IPC
 * channel; when the API exits for any reason, even SIGKILL, the channel closes and Node-RED stops with it instead of
 * holding its port as an orphan.
 *
 * It also tells the API when the flows start and have started (at start and on every full deploy): Node-RED's admin
 * API answers before its HTTP-in nodes are registered, and until then a mashup call gets a 404 that is no answer of
 * the flow. Node-RED's runtime events come from @node-red/util, the very instance Node-RED loads (same file).
 */
if (process.connected) {
  process.on("disconnect", () => process.exit(0));
  try {
    const path = require("node:path");
    const nodeRedDir = path.dirname(require.resolve("node-red/package.json"));
    const { events } = require(require.resolve("@node-red/util", { paths: [nodeRedDir] }));
    const tell = (type) => () => {
      if (process.connected) process.send({ type });
    };
    events.on("flows:starting", tell("flows-starting"));
    events.on("flows:started", tell("flows-started"));
  } catch (error) {
    // An unexpected layout: the API then only knows that the admin API answers.
    console.warn(`STATUS: cannot follow Node-RED's flow state: ${error.message}`);
  }
}
