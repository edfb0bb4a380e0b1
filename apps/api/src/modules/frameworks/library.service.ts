import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LibraryFramework } from "@status/shared";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import { readImport } from "./framework-reader.ts";
import { findFrameworkIdByIdentity } from "./frameworks.repository.ts";
import { storeFramework, type ImportAnswer } from "./import.service.ts";
import type { ParsedFramework } from "./parsed-framework.ts";

/** The bundled frameworks: every `<name>.json` OSCAL catalog here ships with STATUS, so installing needs no network. */
export const LIBRARY_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "library");

interface LibraryEntry {
  name: string;
  parsed: ParsedFramework;
}

// Library files never change while the process runs: each is read and validated once.
const entries = new Map<string, Promise<LibraryEntry>>();

async function loadEntry(deps: AppDeps, name: string): Promise<LibraryEntry> {
  const document = JSON.parse(await readFile(path.join(LIBRARY_DIR, `${name}.json`), "utf8")) as Record<
    string,
    unknown
  >;
  const parsed = await readImport(deps.db, { format: "oscal-catalog", document });
  return { name, parsed: { ...parsed, source: "library" } };
}

function entryOf(deps: AppDeps, name: string): Promise<LibraryEntry> {
  let entry = entries.get(name);
  if (!entry) {
    entry = loadEntry(deps, name);
    entries.set(name, entry);
    entry.catch(() => entries.delete(name));
  }
  return entry;
}

async function libraryNames(): Promise<string[]> {
  const files = await readdir(LIBRARY_DIR);
  return files
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/** The bundled frameworks, each with the id of its installed framework (same name and version) when there is one. */
export async function listLibrary(deps: AppDeps): Promise<LibraryFramework[]> {
  const names = await libraryNames();
  return Promise.all(
    names.map(async (name) => {
      const { parsed } = await entryOf(deps, name);
      return {
        name,
        title: parsed.name,
        version: parsed.version,
        description: parsed.description,
        oscalVersion: parsed.oscalVersion ?? "",
        requirementCount: parsed.requirements.length,
        groupCount: parsed.groups.length,
        installedFrameworkId: (await findFrameworkIdByIdentity(deps.db, parsed)) ?? null,
      };
    }),
  );
}

/** Installs a bundled framework like an import (again: updated in place, nothing duplicated). */
export async function installLibraryFramework(deps: AppDeps, actor: Actor, name: string): Promise<ImportAnswer> {
  if (!(await libraryNames()).includes(name)) throw new NotFoundError("library framework", name);
  const { parsed } = await entryOf(deps, name);
  return storeFramework(deps, actor, parsed);
}
