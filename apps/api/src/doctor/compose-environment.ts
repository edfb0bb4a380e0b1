import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";
import { readCompose, REPO_ROOT, type ComposeFile, type ComposeService } from "./compose-files.ts";
import { interpolateCompose, type MissingVariable } from "./compose-interpolation.ts";

/** The STATUS services of the compose files and the process each runs (their start-up checks differ). */
export const STATUS_SERVICES = { "status-backend": "api", worker: "worker" } as const;

/** A compose file as Compose would run it with an environment: interpolated, `extends` applied. */
export interface ComposeSetup {
  file: string;
  document: ComposeFile;
  /** Required variables (`${NAME:?…}`) the environment does not set, with Compose's message. */
  missing: MissingVariable[];
  /** Every variable the file (and the files it extends) refers to. */
  referenced: Set<string>;
  /** The texts as written (the file, then the files it extends). */
  texts: string[];
}

/** An .env file as Compose reads it (`KEY=value`, quotes, comments). */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  return parseEnv(await readFile(file, "utf8")) as Record<string, string>;
}

/** `.env.example` of the repository: every variable documented, with its default. */
export function readEnvExample(root = REPO_ROOT): Promise<Record<string, string>> {
  return readEnvFile(path.join(root, ".env.example"));
}

/** Reads a compose file as Compose runs it with `env` (the shell and .env): interpolated, then `extends` applied. */
export async function readComposeSetup(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  root = REPO_ROOT,
): Promise<ComposeSetup> {
  const missing = new Map<string, MissingVariable>();
  const referenced = new Set<string>();
  const { document, sources } = await readCompose(file, {
    root,
    interpolate(text) {
      const result = interpolateCompose(text, env);
      for (const item of result.missing) if (!missing.has(item.name)) missing.set(item.name, item);
      for (const name of result.referenced) referenced.add(name);
      return result.text;
    },
  });
  return { file, document, missing: [...missing.values()], referenced, texts: sources.map((source) => source.text) };
}

/** A service's environment as the process in the container sees it: every value a string. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment))
    return Object.fromEntries(environment.map((entry) => [entry.split("=")[0]!, entry.split("=").slice(1).join("=")]));
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? "" : String(value)]),
  );
}
