import type { AppDeps } from "../../../deps.ts";
import type { CallLimits } from "../../../queue/mashup-limiter.ts";
import { getMashup, getMashupLimits } from "../../mashups/index.ts";

/** How long a worker keeps a mashup's URL and limits before reading them again. */
const DIRECTORY_TTL_MS = 2_000;

export interface MashupTarget {
  url: string;
  limits: CallLimits;
}

/**
 * What a worker needs to call a mashup, read once per mashup every two seconds and shared by the runs asking at the
 * same moment: the flow list (cached for 15 s already, but parsed per read) and the limits row would otherwise be
 * read for every run. Failures are not kept, so the next run asks again.
 */
export function createMashupDirectory(deps: AppDeps): (mashupId: string) => Promise<MashupTarget> {
  const entries = new Map<string, { target: Promise<MashupTarget>; readAt: number }>();
  return (mashupId) => {
    const now = Date.now();
    const entry = entries.get(mashupId);
    if (entry && now - entry.readAt < DIRECTORY_TTL_MS) return entry.target;
    const target = Promise.all([getMashup(deps, mashupId), getMashupLimits(deps, mashupId)]).then(
      ([mashup, limits]) => ({
        url: mashup.url,
        limits: { maxConcurrency: limits.maxConcurrency, ratePerSecond: limits.ratePerSecond },
      }),
    );
    entries.set(mashupId, { target, readAt: now });
    target.catch(() => {
      if (entries.get(mashupId)?.target === target) entries.delete(mashupId);
    });
    return target;
  };
}
