// `npm start`: install when the manifests changed, build the SPA and compile the API when their sources changed, then
// one process migrates, seeds and serves (apps/api/dist/main.js --migrate --seed). Prints how long each step took.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import {
  API_INPUTS,
  API_STAMP,
  contentHash,
  INSTALL_INPUTS,
  INSTALL_STAMP,
  isStampCurrent,
  SPA_INPUTS,
  SPA_STAMP,
  writeStamp,
} from "./start-steps.mjs";

const root = path.resolve(import.meta.dirname, "..");
const started = performance.now();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let step = performance.now();
const installHash = await contentHash(root, INSTALL_INPUTS, process.version);
if (await isStampCurrent(root, INSTALL_STAMP, installHash, "node_modules/.modules.yaml")) {
  console.log("start: dependencies are installed (manifests unchanged)");
} else {
  run("npm", ["run", "bootstrap"]);
  await writeStamp(root, INSTALL_STAMP, installHash);
  console.log(`start: installed in ${seconds(step)}`);
}

step = performance.now();
const spaHash = await contentHash(root, SPA_INPUTS);
if (await isStampCurrent(root, SPA_STAMP, spaHash, "apps/web/dist/index.html")) {
  console.log("start: the SPA is built (sources unchanged)");
} else {
  run(path.join(root, "node_modules/.bin/pnpm"), ["--filter", "@status/web", "build"]);
  await writeStamp(root, SPA_STAMP, spaHash);
  console.log(`start: built the SPA in ${seconds(step)}`);
}

step = performance.now();
const apiHash = await contentHash(root, API_INPUTS);
if (await isStampCurrent(root, API_STAMP, apiHash, "apps/api/dist/main.js")) {
  console.log("start: the API is compiled (sources unchanged)");
} else {
  run(process.execPath, ["apps/api/build.mjs"]);
  await writeStamp(root, API_STAMP, apiHash);
  console.log(`start: compiled the API in ${seconds(step)}`);
}

console.log(`start: migrating, seeding and serving (${seconds(started)} so far)`);
// The compiled API run by Node itself (not through pnpm or tsx): one process fewer, a few files to load instead of
// hundreds of TypeScript modules, and signals reach the API directly.
// V8's heap sizing as in the image and `npm run worker` (apps/api/src/heap-flags.test.ts keeps them equal).
const HEAP_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=1024"];
const api = spawn(process.execPath, [...HEAP_FLAGS, "dist/main.js", "--migrate", "--seed"], {
  cwd: path.join(root, "apps/api"),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => api.kill(signal));
api.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
