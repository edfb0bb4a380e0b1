import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The API listens on 3000; the SPA calls it on the same origin through /api so that the session cookies
// (SameSite, httpOnly) and the CSRF cookie behave in development as they do when the API serves dist/.
// docker-compose.dev.yml points it at the API's container (STATUS_API_PROXY_TARGET=http://status-backend:3001).
const apiTarget = process.env.STATUS_API_PROXY_TARGET ?? "http://127.0.0.1:3000";
// The Node-RED editor (and its /comms WebSocket) is served by the API's editor proxy too.
const apiProxy = {
  "/api": { target: apiTarget },
  "/node-red": { target: apiTarget, ws: true },
  "/grafana": { target: apiTarget, ws: true },
};

// Third-party code changes far less often than the app, so it gets its own long-cached chunks.
const VENDOR_CHUNKS: Record<string, readonly string[]> = {
  react: ["react", "react-dom", "scheduler", "react-router", "cookie", "set-cookie-parser"],
  data: ["@tanstack/query-core", "@tanstack/react-query", "axios", "zod"],
};

function vendorChunk(id: string): string | undefined {
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(id);
  if (!match) return undefined;
  const packageName = match[1];
  return Object.keys(VENDOR_CHUNKS).find((chunk) => VENDOR_CHUNKS[chunk]?.includes(packageName ?? ""));
}

export default defineConfig({
  plugins: [react(), tailwindcss()],
  // `@/lib/api-client.ts` is apps/web/src/lib/api-client.ts, as in tsconfig.json's `paths`.
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: { port: 5173, proxy: apiProxy },
  preview: { port: 4173, proxy: apiProxy },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    reportCompressedSize: true,
    // The largest chunk is react + react-dom + react-router (~315 kB minified, ~100 kB gzip). Route modules are
    // lazy, so a warning means something heavy got into a shared chunk or a route pulled in a large dependency.
    chunkSizeWarningLimit: 350,
    rollupOptions: {
      output: { manualChunks: vendorChunk },
      onwarn(warning, warn) {
        // zod ships comments next to its /* @__PURE__ */ annotations that Rollup reports and drops; harmless.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("/node_modules/")) return;
        warn(warning);
      },
    },
  },
});
