import { AppError, ServiceUnavailableError } from "../../errors.ts";
import { RegistryError } from "./registry-client.ts";

export function registryNotConfigured(detail: string): AppError {
  return new AppError(409, "registry_not_configured", "Registry not configured", detail);
}

/**
 * A registry failure during a user's sync: 503 when it is down or too slow, 502 when it answered something unusable.
 */
export function toRegistryProblem(error: unknown): unknown {
  if (!(error instanceof RegistryError)) return error;
  if (error.isUnavailable) return new ServiceUnavailableError("registry_unavailable", error.message);
  return new AppError(502, "registry_failed", "The registry failed", error.message);
}
