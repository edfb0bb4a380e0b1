import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** A fresh copy of an OSCAL fixture (tests change them), from test/fixtures/oscal or the bundled library. */
export function loadOscal(name: "basic-catalog" | "low-profile" | "low-catalog"): Record<string, any> {
  const file = {
    "basic-catalog": path.join(here, "fixtures/oscal/basic-catalog.json"),
    "low-profile": path.join(here, "fixtures/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json"),
    "low-catalog": path.join(here, "../src/modules/frameworks/library/nist-800-53-rev5-low.json"),
  }[name];
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, any>;
}

/** Every control id of an OSCAL catalog, enhancements included, in document order. */
export function controlIdsOf(catalog: Record<string, any>): string[] {
  const ids: string[] = [];
  const walkControls = (controls: any[] = []) =>
    controls.forEach((control) => {
      ids.push(control.id);
      walkControls(control.controls);
    });
  const walkGroups = (groups: any[] = []) =>
    groups.forEach((group) => {
      walkControls(group.controls);
      walkGroups(group.groups);
    });
  walkGroups(catalog.catalog.groups);
  walkControls(catalog.catalog.controls);
  return ids;
}
