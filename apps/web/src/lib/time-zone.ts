import { useCallback, useSyncExternalStore } from "react";
import { browserTimeZone, isKnownTimeZone } from "./format.ts";

/**
 * One time zone per screen: wherever a catalog's windows are shown, dates are in the catalog's time zone, or in UTC
 * when the viewer chose so. The choice is the viewer's, remembered in this browser (localStorage) for every catalog.
 */
const STORAGE_KEY = "status.timeZone.utc";
const listeners = new Set<() => void>();

function readPrefersUtc(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === "1";
  } catch {
    return false; // storage can be unavailable (privacy mode): the catalog's zone
  }
}

/** Remembers whether dates show in UTC instead of the catalog's zone, and re-renders every screen that reads it. */
export function setPrefersUtc(prefersUtc: boolean): void {
  try {
    if (prefersUtc) localStorage.setItem(STORAGE_KEY, "1");
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Not persisted; the choice still applies to this page until it reloads.
  }
  memory = prefersUtc;
  for (const listener of listeners) listener();
}

let memory: boolean | null = null;

function snapshot(): boolean {
  if (memory === null) memory = readPrefersUtc();
  return memory;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface ScreenTimeZone {
  /** The zone to pass to formatInstant / formatWindow: "UTC" or the catalog's (the viewer's without a catalog). */
  timeZone: string;
  /** The catalog's zone (or the viewer's when there is no catalog, or it is not a zone this browser knows). */
  catalogTimeZone: string;
  /** Whether the viewer chose UTC. */
  isUtc: boolean;
  /** Switches between UTC and the catalog's zone (remembered). */
  setUtc: (isUtc: boolean) => void;
}

/**
 * The time zone a screen shows its dates in: the catalog's (`catalogTimeZone`), or UTC when the viewer toggled it,
 * e.g. `const { timeZone } = useTimeZone(catalog?.timeZone); formatWindow(start, end, timeZone)`.
 */
export function useTimeZone(catalogTimeZone: string | null | undefined): ScreenTimeZone {
  const isUtc = useSyncExternalStore(subscribe, snapshot);
  const setUtc = useCallback((value: boolean) => setPrefersUtc(value), []);
  const catalogZone = catalogTimeZone && isKnownTimeZone(catalogTimeZone) ? catalogTimeZone : browserTimeZone();
  return { timeZone: isUtc ? "UTC" : catalogZone, catalogTimeZone: catalogZone, isUtc, setUtc };
}
