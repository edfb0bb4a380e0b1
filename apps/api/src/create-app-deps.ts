import type { AppClients, AppDeps } from "./deps.ts";
import { deriveAuthKeys } from "./domain/auth-keys.ts";

/** The dependencies every route factory and service receives, from a process's clients: the auth keys derived once. */
export function createAppDeps(clients: AppClients): AppDeps {
  return { ...clients, keys: deriveAuthKeys(clients.config.auth.jwtSecret) };
}
