import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";

/** The repository root, where the deployment files live (compose files, nginx/, postgres/, grafana/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

export const COMPOSE_FILES = ["docker-compose.dev.yml", "docker-compose.prod.yml"] as const;

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  networks?: string[] | Record<string, unknown>;
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  mem_limit?: string | number;
  container_name?: string;
  deploy?: { resources?: { limits?: { memory?: string } } };
  [key: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

export async function readRepoFile(relativePath: string): Promise<string> {
  return readFile(path.join(REPO_ROOT, relativePath), "utf8");
}

/** A compose file as Compose reads it before interpolation (YAML merge keys `<<:` resolved). */
export async function readCompose(file: string): Promise<{ text: string; document: ComposeFile }> {
  const text = await readRepoFile(file);
  return { text, document: parse(text, { merge: true }) as ComposeFile };
}

/** Every `${NAME…}` reference of a compose text (Compose interpolation), without `$${…}` escapes. */
export function interpolatedVariables(text: string): string[] {
  return [
    ...new Set(
      [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)].map((match) => match[1]!),
    ),
  ];
}

/** The network names a service joins, whichever of the two Compose forms it uses. */
export function serviceNetworks(service: ComposeService): string[] {
  if (!service.networks) return [];
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks);
}
