import type { AppDeps } from "./deps.ts";
import { ensureInitialAdmin } from "./modules/users/index.ts";

/**
 * Creates the first administrator on an empty database and prints a generated password once. Called by the seed
 * step and again at API start (a no-op once any user exists), so a deploy without the seed step gets one too.
 */
export async function bootstrapAdmin(deps: AppDeps): Promise<void> {
  const admin = await ensureInitialAdmin(deps);
  if (admin?.generatedPassword) {
    // Printed once: it is stored as a hash and cannot be shown again.
    console.log(
      `\n  Created the first administrator.\n    username: ${admin.username}\n    password: ${admin.generatedPassword}\n` +
        "  Change it after signing in, or set STATUS_ADMIN_PASSWORD before the first start.\n",
    );
  } else if (admin) {
    deps.log.info({ username: admin.username }, "created the first administrator from STATUS_ADMIN_PASSWORD");
  }
}
