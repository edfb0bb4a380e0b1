import { randomBytes } from "node:crypto";
import type { RegistryPublication } from "@status/shared";
import { sha256Hex as sha256 } from "../../src/lib/sha256.ts";
import { insertApiToken } from "../../src/modules/tokens/tokens.repository.ts";
import { createUser } from "../../src/modules/users/users.service.ts";
import { startFakeGovernifyRegistry, type FakeGovernifyRegistry } from "../fakes/fake-governify-registry.ts";
import { request, TEST_PASSWORD } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

export interface RegistryTestSetup {
  app: TestApp;
  /** The FAKE Governify registry the app publishes to (see fake-governify-registry.ts). */
  registry: FakeGovernifyRegistry;
  collectorToken: string;
  close(): Promise<void>;
}

/**
 * The app with the engine's worker and background ticks, pointed at a fake Governify registry on loopback whose
 * `status-backend` resolves to the app. The registry acts as a service account holding `collectorToken`.
 */
export async function startAppWithFakeRegistry(
  options: { env?: Record<string, string>; withCollectorToken?: boolean } = {},
): Promise<RegistryTestSetup> {
  const infrastructure: Record<string, string> = {};
  const registry = await startFakeGovernifyRegistry({ infrastructure });
  const collectorToken = `stt_${randomBytes(32).toString("base64url")}`;
  const app = await startTestApp({
    engine: { isWorker: true, isScheduler: true },
    env: {
      SCHEDULER_ENABLED: "false",
      MASHUP_TIMEOUT_MS: "3000",
      REGISTRY_URL: registry.url,
      REGISTRY_PUBLISH_INTERVAL_MS: "200",
      REGISTRY_TIMEOUT_MS: "10000",
      ...(options.withCollectorToken === false ? {} : { REGISTRY_COLLECTOR_TOKEN: collectorToken }),
      ...(options.env ?? {}),
    },
  });
  infrastructure["status-backend"] = app.baseUrl;
  const service = await createUser(app.deps, null, {
    username: `registry-${uniqueSuffix()}`,
    password: TEST_PASSWORD,
    role: "USER",
  });
  await insertApiToken(app.deps.db, {
    userId: service.id,
    name: "registry collector",
    prefix: collectorToken.slice(0, 12),
    tokenHash: sha256(collectorToken),
    expiresAt: null,
  });
  return {
    app,
    registry,
    collectorToken,
    async close() {
      await app.close();
      await registry.close();
    },
  };
}

/** Polls the catalog's publication until `isDone` holds (the background publisher works on its own tick). */
export async function waitForPublication(
  app: TestApp,
  token: string,
  catalogId: string,
  isDone: (publication: RegistryPublication) => boolean,
  timeoutMs = 15_000,
): Promise<RegistryPublication> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const publication = (
      await request<RegistryPublication>(app, "GET", `/api/v1/catalogs/${catalogId}/registry`, { token })
    ).body;
    if (isDone(publication)) return publication;
    if (Date.now() > deadline)
      throw new Error(`publication not in the expected state in time: ${JSON.stringify(publication)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
