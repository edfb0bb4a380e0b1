import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Node-RED's own entry point (node-red/red.js), resolved from this package so the API needs no path of its own. */
export const nodeRedEntry = createRequire(import.meta.url).resolve("node-red/red.js");
/** The settings file STATUS runs Node-RED with; it reads its credentials from the environment. */
export const settingsFile = path.join(here, "settings.cjs");
/** The example mashups, installed as the flows of a new Node-RED user directory. */
export const examplesFlowFile = path.join(here, "flows", "examples.json");
/** Flows with predictable answers for the tests (never installed by default). */
export const testFlowsFile = path.join(here, "flows", "test-flows.json");
/** The data the example mashups read (STATUS_SAMPLE_DATA_DIR). */
export const sampleDataDir = path.join(here, "sample-data");
/** Loaded with `--require` into Node-RED: ends it when the process that started it goes away. */
export const parentWatchFile = path.join(here, "parent-watch.cjs");
