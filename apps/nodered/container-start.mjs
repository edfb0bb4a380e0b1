/**
 * Entry point of the nodered image (apps/nodered/Dockerfile): Node-RED 4 with STATUS's settings, as its own service.
 *
 *   NODE_RED_SERVICE_PASSWORD       the service account's password, shared with the API; hashed here (bcrypt) and then
 *                                   removed from the environment, so flows cannot read it
 *   NODE_RED_SERVICE_PASSWORD_HASH  alternatively, its bcrypt hash
 *   NODE_RED_USER_DIR               flows and credentials (default /data, a volume); on the first start, with no
 *                                   flows.json there, the example mashups are installed
 * and the other variables settings.cjs lists (NODE_RED_CREDENTIAL_SECRET is required).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import bcrypt from "bcryptjs";
import { examplesFlowFile, nodeRedEntry, settingsFile } from "./index.js";

const BCRYPT_ROUNDS = 10;

function fail(message) {
  console.error(`nodered: ${message}`);
  process.exit(1);
}

const password = process.env.NODE_RED_SERVICE_PASSWORD;
delete process.env.NODE_RED_SERVICE_PASSWORD;
if (!process.env.NODE_RED_SERVICE_PASSWORD_HASH) {
  if (!password) fail("set NODE_RED_SERVICE_PASSWORD (or NODE_RED_SERVICE_PASSWORD_HASH): the API's service account");
  process.env.NODE_RED_SERVICE_PASSWORD_HASH = bcrypt.hashSync(password, BCRYPT_ROUNDS);
}
if (!process.env.NODE_RED_CREDENTIAL_SECRET) fail("set NODE_RED_CREDENTIAL_SECRET: it encrypts the flows' credentials");

const userDir = process.env.NODE_RED_USER_DIR || "/data";
process.env.NODE_RED_USER_DIR = userDir;
process.env.NODE_RED_UI_HOST ||= "0.0.0.0";
mkdirSync(userDir, { recursive: true });
const flowsFile = path.join(userDir, "flows.json");
if (!existsSync(flowsFile)) {
  writeFileSync(flowsFile, readFileSync(examplesFlowFile), { flag: "wx" });
  console.log(`nodered: installed the example mashups in ${flowsFile} (first start)`);
}

// Node-RED's own launcher reads its options from process.argv.
process.argv = [process.argv[0], nodeRedEntry, "--settings", settingsFile, "--userDir", userDir];
await import(pathToFileURL(nodeRedEntry).href);
