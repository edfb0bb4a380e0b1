import { applicabilityRoutes, assessmentRoutes, evidencePackRoutes } from "./modules/assessments/index.ts";
import { existsSync } from "node:fs";
import http, { type Server } from "node:http";
import path from "node:path";
import cookieParser from "cookie-parser";
import express, { type Express, type RequestHandler } from "express";
import type { AppDeps } from "./deps.ts";
import { corsForOrigins } from "./http/cors.ts";
import {
  createHttpLifecycle,
  lifecycleMiddleware,
  registerLifecycle,
  type HttpLifecycle,
} from "./http/graceful-shutdown.ts";
import { apiNotFound, createErrorHandler } from "./http/error-handler.ts";
import { methodNotAllowed } from "./http/method-not-allowed.ts";
import { answerJsonDirectly } from "./http/json-response.ts";
import { largeBodyFor } from "./http/large-body.ts";
import { shedLoad } from "./http/load-shedding.ts";
import { requestContext } from "./http/request-context.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { defineRoute, mountRoutes, type RouteDefinition } from "./http/route.ts";
import { aiSettingsRoutes } from "./modules/ai/index.ts";
import { retentionRoutes } from "./modules/retention/index.ts";
import { archiveRoutes } from "./modules/archive/index.ts";
import { assistantRoutes, DOCUMENT_UPLOAD_PATH, conversationRoutes } from "./modules/assistants/index.ts";
import { auditRoutes } from "./modules/audit/index.ts";
import {
  authRoutes,
  createAuthenticator,
  createCsrfVerifier,
  forgetCredentialsOnChange,
  githubRoutes,
} from "./modules/auth/index.ts";
import { mashupRoutes, createEditorProxy, type EditorProxy } from "./modules/mashups/index.ts";
import { EDITOR_PATH } from "./node-red/editor-path.ts";
import { catalogRoutes } from "./modules/catalogs/index.ts";
import {
  FRAMEWORK_IMPORT_BODY_LIMIT,
  FRAMEWORK_IMPORT_PATH,
  frameworkRoutes,
  mappingRoutes,
} from "./modules/frameworks/index.ts";
import { handlingRoutes, ownershipRoutes } from "./modules/handling/index.ts";
import { computationRoutes, runRoutes } from "./modules/evaluation/index.ts";
import { overviewRoutes } from "./modules/overview/index.ts";
import { pointRoutes } from "./modules/points/index.ts";
import { registryApiRoutes, registryRoutes } from "./modules/registry/index.ts";
import { evidencePushRoutes } from "./modules/evidence-push/index.ts";
import { EVIDENCE_IMPORT_PATHS, evidenceImportRoutes } from "./modules/evidence-import/index.ts";
import { systemRoutes } from "./modules/system/index.ts";
import { dashboardRoutes, createGrafanaProxy, type GrafanaProxy } from "./modules/dashboards/index.ts";
import { controlRoutes } from "./modules/controls/index.ts";
import { API_VERSION, healthRoutes } from "./modules/health/index.ts";
import { scopeRoutes } from "./modules/scopes/index.ts";
import { createTokenResourceResolver, tokenRoutes } from "./modules/tokens/index.ts";
import { eventRoutes } from "./modules/events/index.ts";
import { webhookRoutes } from "./modules/webhooks/index.ts";
import { userRoutes } from "./modules/users/index.ts";
import { secondFactorRoutes } from "./modules/second-factor/index.ts";
import { notificationPreferenceRoutes } from "./modules/mail/index.ts";
import { grafanaAlertRoutes } from "./modules/grafana-alerts/index.ts";
import { oidcRoutes } from "./modules/oidc/index.ts";
import { httpMetrics } from "./metrics/http-metrics.ts";
import { answerScrape, METRICS_PATH } from "./metrics/metrics-endpoint.ts";
import { docsRouter } from "./openapi/docs.routes.ts";
import { buildOpenApiDocument } from "./openapi/openapi-document.ts";
import { MCP_PATH, mcpEndpoint } from "./mcp/mcp-endpoint.ts";

export const API_PREFIX = "/api/v1";

function trustProxySetting(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Every API route, in one table: it is mounted, documented and walked by the role tests from here. */
export function apiRoutes(deps: AppDeps): RouteDefinition[] {
  const routes = [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    ...githubRoutes(deps),
    ...oidcRoutes(deps),
    ...userRoutes(deps),
    ...secondFactorRoutes(deps),
    ...tokenRoutes(deps),
    ...catalogRoutes(deps),
    ...controlRoutes(deps),
    ...archiveRoutes(deps),
    ...scopeRoutes(deps),
    ...auditRoutes(deps),
    ...mashupRoutes(deps),
    ...runRoutes(deps),
    ...evidencePushRoutes(deps),
    ...evidenceImportRoutes(deps),
    ...computationRoutes(deps),
    ...pointRoutes(deps),
    ...registryRoutes(deps),
    ...registryApiRoutes(deps),
    ...systemRoutes(deps),
    ...dashboardRoutes(deps),
    ...overviewRoutes(deps),
    ...assistantRoutes(deps),
    ...conversationRoutes(deps),
    ...aiSettingsRoutes(deps),
    ...retentionRoutes(deps),
    ...frameworkRoutes(deps),
    ...mappingRoutes(deps),
    ...ownershipRoutes(deps),
    ...handlingRoutes(deps),
    ...notificationPreferenceRoutes(deps),
    ...grafanaAlertRoutes(deps),
    ...eventRoutes(deps),
    ...webhookRoutes(deps),
    ...assessmentRoutes(deps),
    ...evidencePackRoutes(deps),
    ...applicabilityRoutes(deps),
  ];
  const document = () => buildOpenApiDocument(routes, { version: API_VERSION, serverUrl: API_PREFIX });
  routes.push(
    defineRoute({
      method: "get",
      path: "/openapi.json",
      summary: "This OpenAPI 3.1 document",
      tag: "Health",
      access: "public",
      responses: { 200: { description: "The document" } },
      handler({ res }) {
        res.json(document());
      },
    }),
  );
  return routes;
}

/** The pages the app proxies with their own headers: the Node-RED editor, and Grafana when GRAFANA_URL is set. */
interface Proxies {
  editor: EditorProxy;
  grafana: GrafanaProxy | undefined;
}

function createProxies(deps: AppDeps): Proxies {
  return { editor: createEditorProxy(deps), grafana: createGrafanaProxy(deps) };
}

/**
 * The app's HTTP server: createApp plus the WebSocket upgrades of the Node-RED editor and Grafana. Never listens.
 * closeGracefully (http/graceful-shutdown.ts) drains it.
 */
export function createServer(deps: AppDeps): Server {
  const proxies = createProxies(deps);
  const { editor, grafana } = proxies;
  const lifecycle = createHttpLifecycle();
  const server = http.createServer(createApp(deps, proxies, lifecycle));
  registerLifecycle(server, lifecycle);
  server.on("upgrade", (req, socket, head) => {
    const url = req.url ?? "/";
    if (grafana && url.startsWith(`${grafana.publicPath}/`)) return grafana.handleUpgrade(req, socket, head);
    editor.handleUpgrade(req, socket, head);
  });
  return server;
}

/** Builds the Express app from its dependencies; never listens (main.ts and the tests do). */
export function createApp(deps: AppDeps, proxies?: Proxies, lifecycle?: HttpLifecycle): Express {
  const { config } = deps;
  const { editor, grafana } = proxies ?? createProxies(deps);
  const app = express();
  app.disable("x-powered-by");
  // API answers are `Cache-Control: no-store`, so nobody revalidates them: hashing every body for an ETag was wasted
  // work. (The SPA's files get theirs from express.static, which does not read this setting.)
  app.set("etag", false);
  answerJsonDirectly(app);
  app.set("trust proxy", trustProxySetting(config.http.trustProxy));
  app.use(requestContext(deps.log));
  if (lifecycle) app.use(lifecycleMiddleware(lifecycle));
  app.use(seedRegistryPaths);
  const proxyPrefixes = [EDITOR_PATH, ...(grafana ? [grafana.publicPath] : [])];
  app.use(httpMetrics(deps.metrics, { api: API_PREFIX, proxies: proxyPrefixes }));
  // Before anything costly (headers, body parsing, authentication), after the metrics (which count what is refused).
  // Health and readiness are always answered; the SPA, the proxies and /metrics are not API requests. Not mounted at
  // API_PREFIX: a mount rewrites req.url and back again, and the URL is then parsed afresh, on every request.
  app.use(
    shedLoad({
      maxConcurrent: config.lifecycle.maxConcurrentRequests,
      isExempt: (path) => {
        const rest = pathUnderApi(path);
        return rest === undefined || rest === "/health" || rest === "/health/ready";
      },
    }),
  );
  app.all(METRICS_PATH, metricsRoute(deps));
  // Before helmet: the editor is Node-RED's page, with Node-RED's own headers (our CSP would break it); Grafana's too.
  app.use(EDITOR_PATH, editor.handleRequest);
  if (grafana) app.use(grafana.publicPath, grafana.handleRequest);
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: { "img-src": ["'self'", "data:", "https://avatars.githubusercontent.com"] },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(corsForOrigins(config.http.corsOrigins));

  const api = express.Router();
  const authenticate = createAuthenticator(deps);
  // Only requests that carry cookies (the SPA's) pay for parsing them: every reader takes no req.cookies as none.
  const parseCookies = cookieParser();
  api.use((req, res, next) => {
    if (req.headers.cookie === undefined) next();
    else parseCookies(req, res, next);
  });
  // Documents arrive as base64 in JSON, so their route takes 4/3 of the largest document (plus room for the rest),
  // for those who may upload; the general parser below then sees the body as read already.
  const documentLimit = Math.ceil(config.ai.documentMaxBytes / 3) * 4 + 64 * 1024;
  api.post(
    DOCUMENT_UPLOAD_PATH,
    largeBodyFor(authenticate, "DEVELOPER", express.json({ limit: documentLimit, strict: true })),
  );
  // Framework documents (the NIST catalog with every control is ~10 MB; XLSX arrives as base64) take up to 50 MB.
  api.post(
    FRAMEWORK_IMPORT_PATH,
    largeBodyFor(authenticate, "DEVELOPER", express.json({ limit: FRAMEWORK_IMPORT_BODY_LIMIT, strict: true })),
  );
  // Scanner files arrive as their tool wrote them (JSON, XML or YAML), read as text up to their own limit.
  api.post(
    EVIDENCE_IMPORT_PATHS,
    largeBodyFor(
      authenticate,
      "DEVELOPER",
      express.text({ type: () => true, limit: config.http.evidenceImportMaxBytes, defaultCharset: "utf-8" }),
    ),
  );
  // Most calls are GETs without a body: they skip the parser, which would find none by the same test (type-is's).
  const parseJson = express.json({ limit: config.http.bodyLimit, strict: true });
  api.use((req, res, next) => {
    const { headers } = req;
    if (headers["transfer-encoding"] === undefined && Number.isNaN(Number(headers["content-length"]))) next();
    else parseJson(req, res, next);
  });
  api.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  // The MCP server beside the REST routes: the same authenticator, and its tools run the routes' checks themselves.
  api.all(MCP_PATH, mcpEndpoint(deps, authenticate));
  api.use(forgetCredentialsOnChange(deps));
  const routes = apiRoutes(deps);
  mountRoutes(api, routes, {
    authenticate,
    verifyCsrf: createCsrfVerifier(deps),
    resolveTokenResource: createTokenResourceResolver(deps),
  });
  api.use(docsRouter());
  api.use(methodNotAllowed(routes));
  api.use(apiNotFound);
  app.use(API_PREFIX, api);
  // Anything else under /api (another version, a mistyped seed path) is an API 404 too, never the SPA or HTML.
  app.use("/api", apiNotFound);

  serveSpa(app, config.webDistDir);
  app.use(createErrorHandler(deps.log));
  return app;
}

/** What Express would leave of `path` under `app.use(API_PREFIX, …)` (prefix matched in any case), else undefined. */
function pathUnderApi(path: string): string | undefined {
  if (path.length < API_PREFIX.length || path.slice(0, API_PREFIX.length).toLowerCase() !== API_PREFIX)
    return undefined;
  const rest = path.slice(API_PREFIX.length);
  if (rest === "") return "/";
  return rest.startsWith("/") ? rest : undefined;
}

// Seed 002 documents the registry API for integrators at /api/registry/{guarantees,compliance,trends}.
const SEED_REGISTRY_PATH = /^\/api(\/registry\/(?:guarantees|compliance|trends)(?:[/?]|$))/;

/**
 * The seed's literal paths are the same routes as /api/v1/registry/…, rewritten before routing: the same
 * authentication, role, validation, CSV and paging. The problem's `instance` keeps the path the caller used.
 */
const seedRegistryPaths: RequestHandler = (req, _res, next) => {
  const match = SEED_REGISTRY_PATH.exec(req.url);
  if (match) req.url = `${API_PREFIX}${req.url.slice("/api".length)}`;
  next();
};

/**
 * GET /metrics for Prometheus with `Authorization: Bearer <METRICS_TOKEN>`; 404 when metrics are disabled or served on
 * METRICS_PORT instead (so the SPA's fallback never answers it).
 */
function metricsRoute(deps: AppDeps): RequestHandler {
  const { token, port } = deps.config.metrics;
  return (req, res, next) => {
    if (!token || port !== undefined) {
      const where = token ? `on METRICS_PORT (${port})` : "only with METRICS_TOKEN set";
      res.status(404).type("text/plain").send(`Metrics are served ${where}\n`);
      return;
    }
    answerScrape(deps.metrics, token, req, res).catch(next);
  };
}

/** Serves the built SPA: hashed assets cached for a year, every other GET falls back to index.html. */
function serveSpa(app: Express, distDir: string): void {
  const indexFile = path.join(distDir, "index.html");
  if (!existsSync(indexFile)) return;
  app.use(
    "/assets",
    express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }),
  );
  app.use(express.static(distDir, { index: false }));
  app.get(/^(?!\/api\/).*/, (_req, res) => {
    res.set("Cache-Control", "no-cache").sendFile(indexFile);
  });
}
