// How Compose reads the compose files (YAML merge keys, `extends`), for `npm run doctor` and the deployment tests.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";

/** The repository root, where the deployment files live (compose files, nginx/, postgres/, grafana/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");

/** The files admins run (`docker compose -f <file> …`). */
export const COMPOSE_FILES = ["docker-compose.dev.yml", "docker-compose.prod.yml"] as const;
/** What both share, read by them through `extends`; never run by itself. */
export const COMPOSE_BASE_FILE = "docker-compose.base.yml";

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
  extends?: string | { service: string; file?: string };
  [key: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

export async function readRepoFile(relativePath: string, root = REPO_ROOT): Promise<string> {
  return readFile(path.join(root, relativePath), "utf8");
}

/** One file of a compose configuration, as written. */
export interface ComposeSource {
  /** Relative to the repository root. */
  file: string;
  text: string;
  document: ComposeFile;
}

export interface ResolvedCompose {
  /** The file's own text. */
  text: string;
  /** The file and every file its services extend, as written: where variables and secrets are looked for. */
  sources: ComposeSource[];
  /** The configuration Compose runs: YAML merge keys resolved and `extends` applied. */
  document: ComposeFile;
}

export interface ReadComposeOptions {
  /** Applied to each file's text before parsing, as Compose interpolates variables before applying `extends`. */
  interpolate?: (text: string) => string;
  /** Where the compose files are (default: this repository). */
  root?: string;
}

/**
 * A compose file as Compose reads it: YAML merge keys (`<<:`) resolved, and the services it takes from other files
 * through `extends` merged in (see resolveExtends). Interpolation only when asked for.
 */
export async function readCompose(file: string, options: ReadComposeOptions = {}): Promise<ResolvedCompose> {
  const sources = new Map<string, ComposeSource>();
  const load = async (relativePath: string): Promise<ComposeSource> => {
    const known = sources.get(relativePath);
    if (known) return known;
    const text = await readRepoFile(relativePath, options.root);
    const document = parse(options.interpolate ? options.interpolate(text) : text, { merge: true }) as ComposeFile;
    const source = { file: relativePath, text, document };
    sources.set(relativePath, source);
    for (const service of Object.values(document.services ?? {})) {
      const reference = extendsReference(service);
      if (reference?.file) await load(path.join(path.dirname(relativePath), reference.file));
    }
    return source;
  };
  const main = await load(file);
  const documents = new Map([...sources].map(([name, source]) => [name, source.document]));
  return { text: main.text, sources: [...sources.values()], document: resolveExtends(file, documents) };
}

function extendsReference(service: ComposeService): { service: string; file?: string } | undefined {
  if (service.extends === undefined) return undefined;
  return typeof service.extends === "string" ? { service: service.extends } : service.extends;
}

// Keys that tie a service to other services: the spec leaves their import to the extending file, and Compose
// versions disagree on whether `extends` carries them (compose 1.x and the docs: never; compose-go v2: yes).
const NOT_FROM_BASE = ["depends_on", "links", "volumes_from"];
const SERVICE_MODES = ["network_mode", "ipc", "pid"];
// Mappings merged by key (the spec's `environment`, `labels`), written as a mapping or as KEY=VALUE lines.
const MERGED_BY_NAME = new Set(["environment", "labels"]);
// Shell commands: the extending value replaces the base one in every Compose version.
const REPLACED = new Set(["command", "entrypoint"]);

function asMapping(value: unknown): Record<string, unknown> {
  if (!Array.isArray(value)) return { ...(value as Record<string, unknown>) };
  return Object.fromEntries(
    value.map((entry: string) => {
      const separator = entry.indexOf("=");
      return separator === -1 ? [entry, null] : [entry.slice(0, separator), entry.slice(separator + 1)];
    }),
  );
}

function isScalar(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function assertPortableBase(base: ComposeService, where: string): void {
  for (const key of NOT_FROM_BASE) {
    if (base[key] !== undefined) throw new Error(`${where} sets ${key}: declare it in the extending service instead`);
  }
  for (const key of SERVICE_MODES) {
    const value = base[key];
    if (typeof value === "string" && value.startsWith("service:"))
      throw new Error(`${where} sets ${key}: ${value}: declare it in the extending service instead`);
  }
}

/**
 * Merges an extending service over its base the way the Compose Specification describes `extends` for the keys
 * both may set: scalars and shell commands are replaced, `environment` and `labels` merge by name (the extending
 * value wins). Any other key set on both sides is refused, because Compose versions merge lists and mappings
 * differently (appended, merged by target, replaced): a key lives in one place or the other.
 */
export function mergeExtendedService(base: ComposeService, local: ComposeService, where: string): ComposeService {
  const merged: ComposeService = { ...base };
  for (const [key, value] of Object.entries(local)) {
    if (key === "extends") continue;
    if (!(key in base)) merged[key] = value;
    else if (MERGED_BY_NAME.has(key)) merged[key] = { ...asMapping(base[key]), ...asMapping(value) };
    else if (REPLACED.has(key) || (isScalar(base[key]) && isScalar(value))) merged[key] = value;
    else throw new Error(`${where}: ${key} is set both here and in the base service; set it in one place`);
  }
  return merged;
}

/**
 * Applies `extends` to every service of `file`: the referenced service (in the same file, or in `extends.file`
 * relative to the extending file) is resolved first, checked to name no other service, then merged under the
 * extending one. Only services come from a base file; its networks and volumes are not imported.
 */
export function resolveExtends(file: string, documents: ReadonlyMap<string, ComposeFile>): ComposeFile {
  const resolve = (name: string, inFile: string, chain: string[]): ComposeService => {
    const where = `${inFile}#${name}`;
    if (chain.includes(where)) throw new Error(`extends cycle: ${[...chain, where].join(" → ")}`);
    const document = documents.get(inFile);
    if (!document) throw new Error(`extends names ${inFile}, which was not read`);
    const service = document.services?.[name];
    if (!service) throw new Error(`extends names ${where}, which does not exist`);
    const reference = extendsReference(service);
    if (!reference) return service;
    const baseFile = reference.file ? path.join(path.dirname(inFile), reference.file) : inFile;
    const base = resolve(reference.service, baseFile, [...chain, where]);
    assertPortableBase(base, `${baseFile}#${reference.service}`);
    return mergeExtendedService(base, service, where);
  };
  const document = documents.get(file);
  if (!document) throw new Error(`${file} was not read`);
  const services = Object.fromEntries(
    Object.keys(document.services ?? {}).map((name) => [name, resolve(name, file, [])]),
  );
  return { ...document, services };
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
