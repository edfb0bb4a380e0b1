// Module boundaries, checked by `npm run lint` (dependency-cruiser). docs/ARCHITECTURE.md explains the layers.
// Type-only imports count: a cycle through types is still a cycle a reader has to untangle.
const path = require("node:path");

const API = "^apps/api/src/";
const WEB = "^apps/web/src/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "No import cycles anywhere: layers and modules depend one way.",
      from: {},
      to: { circular: true },
    },
    {
      name: "api-module-public-entry",
      severity: "error",
      comment:
        "An API module is used by other modules only through its public entry, modules/<name>/index.ts; what it " +
        "does not export from there is its own business.",
      from: { path: `${API}modules/([^/]+)/` },
      to: {
        path: `${API}modules/[^/]+/`,
        pathNot: [`${API}modules/$1/`, `${API}modules/[^/]+/index\\.ts$`],
      },
    },
    {
      name: "api-outside-modules-public-entry",
      severity: "error",
      comment:
        "Code outside modules/ (app.ts, engine.ts, main.ts, worker.ts, seed) uses a module through its index.ts.",
      from: { path: API, pathNot: `${API}modules/` },
      to: { path: `${API}modules/[^/]+/.`, pathNot: `${API}modules/[^/]+/index\\.ts$` },
    },
    {
      name: "api-evaluation-one-home",
      severity: "error",
      comment:
        "The evaluation pipeline (schedule, runs, worker, results) has one home, modules/evaluation, used through its " +
        "index.ts like any module: runs, computations and scheduler are no longer modules of their own.",
      from: {},
      to: { path: `${API}modules/(runs|computations|scheduler)/` },
    },
    {
      name: "api-repositories-private",
      severity: "error",
      comment: "A repository owns its module's tables: only its own module imports it.",
      from: { path: `${API}modules/([^/]+)/` },
      to: { path: `${API}modules/[^/]+/.*\\.repository\\.ts$`, pathNot: `${API}modules/$1/` },
    },
    {
      name: "api-infrastructure-not-features",
      severity: "error",
      comment:
        "Infrastructure (http, db, cache, queue, lib, domain, metrics, config) sits below the modules and never " +
        "imports them.",
      from: { path: `${API}(http|db|cache|queue|lib|domain|metrics)/|${API}config\\.ts$` },
      to: { path: `${API}modules/` },
    },
    {
      name: "web-feature-public-entry",
      severity: "error",
      comment: "A web feature uses another feature only through its public entry, features/<name>/index.ts.",
      from: { path: `${WEB}features/([^/]+)/` },
      to: {
        path: `${WEB}features/[^/]+/`,
        pathNot: [`${WEB}features/$1/`, `${WEB}features/[^/]+/index\\.tsx?$`],
      },
    },
    {
      name: "web-shared-layers-not-features",
      severity: "error",
      comment: "components/, lib/, config/ and testing/ helpers sit below the features and never import them.",
      from: { path: `${WEB}(components|lib|config)/` },
      to: { path: `${WEB}(features|app)/` },
    },
    {
      name: "apps-apart",
      severity: "error",
      comment: "The API and the web app share code only through packages/shared.",
      from: { path: "^apps/(api|web)/" },
      to: { path: "^apps/(api|web)/", pathNot: "^apps/$1/" },
    },
    {
      name: "shared-stands-alone",
      severity: "error",
      comment: "packages/shared is the contract: it imports nothing of the apps.",
      from: { path: "^packages/shared/" },
      to: { path: "^apps/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|data|coverage|test-output)/" },
    tsPreCompilationDeps: true,
    // Resolves the SPA's `@/…` imports (its tsconfig `paths`), so that the web-* rules see where they lead.
    tsConfig: { fileName: path.join(__dirname, "apps/web/tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
