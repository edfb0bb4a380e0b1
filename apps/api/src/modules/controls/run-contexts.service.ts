import type { Queryable } from "../../db/database.ts";
import { versionSpans, type VersionSpan } from "../../domain/version-windows.ts";
import { listVersionsOfControls, type ControlVersionRow } from "./control-versions.repository.ts";
import type { RunControl } from "./controls.repository.ts";
import { perPool } from "../../lib/per-pool.ts";

/** A run's control with its catalog's id and status and the control's versions, as the worker evaluates it. */
export interface RunContext {
  control: Omit<RunControl, "catalogStatus">;
  catalog: { id: string; status: RunControl["catalogStatus"] };
  versions: ControlVersionRow[];
  spans: VersionSpan[];
}

interface KnownVersions {
  /** The control's current version when these were read: the versions are those up to it. */
  version: number;
  versions: ControlVersionRow[];
  spans: VersionSpan[];
}

/** A process never keeps the versions of more controls than this; past it the oldest go first. */
const MAX_CONTROLS = 2_000;

const cacheOf = perPool((_db: Queryable) => new Map<string, KnownVersions>());

/**
 * The contexts of the controls a claim batch read with its runs (RUN_CONTROL_COLUMNS), by control id. A control version
 * never changes (a trigger refuses updates) and a control's row names its current version, set in the statement that
 * adds it, so the versions read once are reused for as long as the control's version is the same; only a control this
 * process has not seen, or one that gained a version since, has its versions read (one statement for all of them).
 */
export async function runContextsOfControls(db: Queryable, controls: RunControl[]): Promise<Map<string, RunContext>> {
  const cache = cacheOf(db);
  const known = new Map<string, KnownVersions>();
  const unknown: RunControl[] = [];
  for (const control of controls) {
    // A draft is evaluated with its own fields: it has no versions.
    if (control.status !== "finalized" || control.version === null) continue;
    const cached = cache.get(control.id);
    if (cached?.version === control.version) known.set(control.id, cached);
    else unknown.push(control);
  }
  if (unknown.length > 0) {
    const rows = await listVersionsOfControls(
      db,
      unknown.map((control) => control.id),
    );
    for (const control of unknown) {
      const version = control.version!;
      // A version added after the control's row was read waits for the next read, so the versions kept are always
      // those up to the version the row names.
      const versions = rows.filter((row) => row.controlId === control.id && row.version <= version);
      const entry = { version, versions, spans: versionSpans(versions) };
      known.set(control.id, entry);
      cache.delete(control.id);
      if (cache.size >= MAX_CONTROLS) cache.delete(cache.keys().next().value!);
      cache.set(control.id, entry);
    }
  }
  const contexts = new Map<string, RunContext>();
  for (const { catalogStatus, ...control } of controls) {
    const versions = known.get(control.id);
    contexts.set(control.id, {
      control,
      catalog: { id: control.catalogId, status: catalogStatus },
      versions: versions?.versions ?? [],
      spans: versions?.spans ?? [],
    });
  }
  return contexts;
}
