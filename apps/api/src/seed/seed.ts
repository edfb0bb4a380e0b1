import type { AppDeps } from "../deps.ts";
import type { Actor } from "../domain/actor.ts";
import { findFirstAdmin } from "../modules/users/index.ts";
import { seedDemoData } from "./demo-data.ts";

/** Demo content on an empty database, created as the first administrator (skipped with SEED_DEMO_DATA=false). */
export async function seedAsFirstAdmin(deps: AppDeps): Promise<void> {
  if (!deps.config.bootstrap.seedDemoData) return deps.log.info("SEED_DEMO_DATA=false: no demo data");
  const admin = await findFirstAdmin(deps);
  const actor: Actor = {
    userId: admin.id,
    username: admin.username,
    role: "ADMIN",
    authMethod: "session",
    requestId: "demo-seed",
  };
  const isSeeded = await seedDemoData(deps, actor);
  deps.log.info(isSeeded ? "demo data created" : "database has content: no demo data added");
}
