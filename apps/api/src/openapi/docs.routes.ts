import { createRequire } from "node:module";
import path from "node:path";
import express, { type Router } from "express";

const require = createRequire(import.meta.url);
const swaggerUiDir = path.dirname(require.resolve("swagger-ui-dist/package.json"));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>STATUS API</title><link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body></html>`;

// A separate script rather than an inline one, so the page works under the API's Content-Security-Policy.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false });`;

/** Swagger UI over the generated OpenAPI document, at /api/v1/docs. */
export function docsRouter(): Router {
  const router = express.Router();
  router.get("/docs", (_req, res) => {
    res.type("html").send(DOCS_PAGE);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT_SCRIPT);
  });
  router.use("/docs/assets", express.static(swaggerUiDir, { index: false, maxAge: "1d" }));
  return router;
}
