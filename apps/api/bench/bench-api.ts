import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "../src/app.ts";
import type { AppDeps } from "../src/deps.ts";
import { benchDeps } from "./bench-deps.ts";

/**
 * The API as the in-process HTTP benchmarks serve it: on `databaseUrl` with the dependencies of `benchDeps` (no
 * Node-RED), listening on a free loopback port. `env` adds settings (a request limit, say).
 */
export async function startBenchApi(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ server: Server; port: number; deps: AppDeps; close: () => Promise<void> }> {
  const { deps, close } = await benchDeps({ DATABASE_URL: databaseUrl, ...env });
  const server = createServer(deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, deps, close };
}
