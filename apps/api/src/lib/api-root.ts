import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The API package's directory (holding package.json and migrations/), found upwards from `from`: the same from the
 * TypeScript sources (src/…), the compiled bundle (dist/) and the production image (/app), whatever their depth.
 */
export function apiRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@status/api"
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no @status/api package.json above ${from}`);
  }
}
