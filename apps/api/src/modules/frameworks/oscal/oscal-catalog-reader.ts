import type { ImportProblem, RequirementParam } from "@status/shared";
import { pathProblem, type ParsedFramework, type ParsedGroup, type ParsedRequirement } from "../parsed-framework.ts";

/** The parts of OSCAL a reader looks at; the document has passed the schema already. */
export interface OscalProp {
  name: string;
  value: string;
  class?: string;
  ns?: string;
}
export interface OscalPart {
  id?: string;
  name: string;
  title?: string;
  prose?: string;
  props?: OscalProp[];
  parts?: OscalPart[];
}
export interface OscalParam {
  id: string;
  label?: string;
  values?: string[];
  select?: { "how-many"?: "one" | "one-or-more"; choice?: string[] };
  [key: string]: unknown;
}
export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
  [key: string]: unknown;
}
export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  props?: OscalProp[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
  [key: string]: unknown;
}
export interface OscalCatalog {
  uuid: string;
  metadata: { title: string; version: string; "oscal-version": string; remarks?: string; [key: string]: unknown };
  groups?: OscalGroup[];
  controls?: OscalControl[];
  "back-matter"?: unknown;
}

/** Reads a schema-valid OSCAL catalog into groups and requirements, in document order. */
export function readOscalCatalog(catalog: OscalCatalog): ParsedFramework {
  const reader = new CatalogWalker();
  (catalog.groups ?? []).forEach((group, index) => reader.group(group, null, `$.catalog.groups[${index}]`));
  (catalog.controls ?? []).forEach((control, index) =>
    reader.control(control, { groupKey: null, parentKey: null, depth: 0 }, `$.catalog.controls[${index}]`),
  );
  return {
    name: catalog.metadata.title,
    version: catalog.metadata.version,
    description: typeof catalog.metadata.remarks === "string" ? catalog.metadata.remarks : "",
    source: "oscal-catalog",
    oscalVersion: catalog.metadata["oscal-version"],
    sourceUuid: catalog.uuid,
    metadata: catalog.metadata,
    resolvedFromId: null,
    groups: reader.groups,
    requirements: reader.requirements,
    problems: reader.problems,
  };
}

interface Placement {
  groupKey: string | null;
  parentKey: string | null;
  depth: number;
}

class CatalogWalker {
  readonly groups: ParsedGroup[] = [];
  readonly requirements: ParsedRequirement[] = [];
  readonly problems: ImportProblem[] = [];
  private readonly seenKeys = new Set<string>();

  group(group: OscalGroup, parentKey: string | null, path: string): void {
    // OSCAL allows a group without an id; it still needs a key here, derived from its place.
    const exported = group.props?.find((prop) => prop.ns === STATUS_OSCAL_NS && prop.name === GROUP_KEY_PROP);
    const key = exported?.value ?? group.id ?? `group-${this.groups.length + 1}`;
    const { groups: subgroups, controls, ...own } = group;
    this.groups.push({ key, title: group.title, parentKey, position: this.groups.length, oscal: own });
    (controls ?? []).forEach((control, index) =>
      this.control(control, { groupKey: key, parentKey: null, depth: 0 }, `${path}.controls[${index}]`),
    );
    (subgroups ?? []).forEach((subgroup, index) => this.group(subgroup, key, `${path}.groups[${index}]`));
  }

  control(control: OscalControl, placement: Placement, path: string): void {
    const key = keyOf(control);
    if (this.seenKeys.has(key)) {
      this.problems.push(pathProblem("duplicate_id", `Control id ${key} appears more than once`, `${path}.id`));
      return;
    }
    this.seenKeys.add(key);
    const { controls: children, ...own } = control;
    this.requirements.push({ ...requirementOf(control, placement, this.requirements.length), oscal: own });
    (children ?? []).forEach((child, index) =>
      this.control(
        child,
        { groupKey: placement.groupKey, parentKey: key, depth: placement.depth + 1 },
        `${path}.controls[${index}]`,
      ),
    );
  }
}

function requirementOf(control: OscalControl, placement: Placement, position: number): ParsedRequirement {
  const parts = control.parts ?? [];
  return {
    key: keyOf(control),
    label: labelOf(control.props),
    title: control.title,
    statement: proseOf(parts.filter((part) => part.name === "statement")),
    guidance: proseOf(parts.filter((part) => part.name === "guidance")),
    groupId: placement.groupKey,
    parentKey: placement.parentKey,
    className: control.class ?? null,
    position,
    depth: placement.depth,
    params: (control.params ?? []).map(paramOf),
    oscal: null,
  };
}

/** STATUS's namespace for props it adds to OSCAL documents. */
export const STATUS_OSCAL_NS = "https://status.example/ns/oscal";
/** The prop that carries a requirement key that is not an OSCAL token (a sheet's `5.1`), so re-import keeps it. */
export const REQUIREMENT_KEY_PROP = "requirement-key";
/** The same for a group key (a sheet's `Control environment`). */
export const GROUP_KEY_PROP = "group-key";

/** The requirement key: the control id, or the key STATUS exported it under. */
function keyOf(control: OscalControl): string {
  const exported = (control.props ?? []).find(
    (prop) => prop.ns === STATUS_OSCAL_NS && prop.name === REQUIREMENT_KEY_PROP,
  );
  return exported?.value ?? control.id;
}

/** The label people use: the `label` prop without a class (NIST also gives zero-padded and 800-53A variants). */
export function labelOf(props: readonly OscalProp[] | undefined): string | null {
  const labels = (props ?? []).filter((prop) => prop.name === "label" && !prop.ns);
  return (labels.find((prop) => !prop.class) ?? labels[0])?.value ?? null;
}

/** Flattens parts into text: each item on its own line, indented by depth and prefixed by its label (`a.`, `1.`). */
export function proseOf(parts: readonly OscalPart[], depth = 0): string {
  const lines: string[] = [];
  for (const part of parts) {
    const label = labelOf(part.props);
    const text = [label, part.prose?.trim()].filter(Boolean).join(" ");
    if (text) lines.push(`${"  ".repeat(depth)}${text}`);
    const nested = proseOf(part.parts ?? [], text ? depth + 1 : depth);
    if (nested) lines.push(nested);
  }
  return lines.join("\n");
}

export function paramOf(param: OscalParam): RequirementParam {
  return {
    id: param.id,
    label: param.label ?? null,
    values: param.values ?? [],
    choices: param.select?.choice ?? null,
    howMany: param.select ? (param.select["how-many"] ?? "one") : null,
  };
}
