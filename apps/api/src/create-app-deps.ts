import type { AppClients, AppDeps } from "./deps.ts";
import { deriveAuthKeys } from "./domain/auth-keys.ts";
import { catalogControls } from "./modules/controls/index.ts";

/**
 * The dependencies every route factory and service receives, from a process's clients: the auth keys derived once,
 * and the port through which the catalogs module reaches the controls module above it.
 */
export function createAppDeps(clients: AppClients): AppDeps {
  return { ...clients, keys: deriveAuthKeys(clients.config.auth.jwtSecret), catalogControls };
}
