import type { ImportProblem } from "@status/shared";
import { pathProblem, type ParsedFramework, type ParsedGroup, type ParsedRequirement } from "../parsed-framework.ts";
import type { OscalParam } from "./oscal-catalog-reader.ts";

interface SelectControls {
  "with-ids"?: string[];
  "with-child-controls"?: "yes" | "no";
  matching?: unknown;
}
interface ProfileImport {
  href: string;
  "include-all"?: object;
  "include-controls"?: SelectControls[];
  "exclude-controls"?: SelectControls[];
}
interface SetParameter {
  "param-id": string;
  label?: string;
  values?: string[];
  select?: OscalParam["select"];
  [key: string]: unknown;
}
export interface OscalProfile {
  uuid: string;
  metadata: { title: string; version: string; "oscal-version": string; remarks?: string; [key: string]: unknown };
  imports: ProfileImport[];
  merge?: { "as-is"?: boolean; flat?: object; custom?: unknown; combine?: unknown };
  modify?: { "set-parameters"?: SetParameter[]; alters?: unknown[] };
}

/** The framework a profile is resolved against, as stored. */
export interface BaseFramework {
  id: string;
  groups: ParsedGroup[];
  requirements: ParsedRequirement[];
}

const SET_PARAMETER_KEYS = new Set(["param-id", "label", "values", "select"]);

/**
 * Resolves a profile against an imported framework. Supported: one import, with `include-all` or `include-controls`
 * by `with-ids` (children only with `with-child-controls: yes`), `exclude-controls` by `with-ids`, `merge` as-is or
 * flat, and `modify.set-parameters` (label, values, select). Anything else is an `unsupported` problem naming it, so
 * the result is never a silent approximation.
 */
export function resolveOscalProfile(profile: OscalProfile, base: BaseFramework): ParsedFramework {
  const problems = unsupportedParts(profile);
  const imported = profile.imports[0];
  const selected = imported ? selectKeys(imported, base, problems) : new Set<string>();
  const requirements = keepSelected(base.requirements, selected, profile.merge?.flat !== undefined);
  applySetParameters(requirements, profile.modify?.["set-parameters"] ?? [], problems);
  return {
    name: profile.metadata.title,
    version: profile.metadata.version,
    description: typeof profile.metadata.remarks === "string" ? profile.metadata.remarks : "",
    source: "oscal-profile",
    oscalVersion: profile.metadata["oscal-version"],
    sourceUuid: profile.uuid,
    metadata: profile.metadata,
    resolvedFromId: base.id,
    groups: profile.merge?.flat !== undefined ? [] : groupsHolding(base.groups, requirements),
    requirements,
    problems,
  };
}

function unsupportedParts(profile: OscalProfile): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const refuse = (path: string, what: string) =>
    problems.push(pathProblem("unsupported", `${what} is not supported by STATUS's profile resolution`, path));
  if (profile.imports.length > 1) refuse("$.profile.imports[1]", "More than one import");
  if (profile.merge?.custom !== undefined) refuse("$.profile.merge.custom", "A custom merge");
  (profile.modify?.alters ?? []).forEach((_alter, index) => refuse(`$.profile.modify.alters[${index}]`, "alters"));
  (profile.modify?.["set-parameters"] ?? []).forEach((setting, index) => {
    for (const key of Object.keys(setting).filter((name) => !SET_PARAMETER_KEYS.has(name)))
      refuse(`$.profile.modify["set-parameters"][${index}]["${key}"]`, `set-parameters with ${key}`);
  });
  const imported = profile.imports[0];
  const selections = [
    ...(imported?.["include-controls"] ?? []).map((selection, index) => ({
      selection,
      at: `include-controls[${index}]`,
    })),
    ...(imported?.["exclude-controls"] ?? []).map((selection, index) => ({
      selection,
      at: `exclude-controls[${index}]`,
    })),
  ];
  for (const { selection, at } of selections)
    if (selection.matching !== undefined) refuse(`$.profile.imports[0]["${at}"].matching`, "Selecting by matching");
  return problems;
}

function selectKeys(imported: ProfileImport, base: BaseFramework, problems: ImportProblem[]): Set<string> {
  const known = new Set(base.requirements.map((requirement) => requirement.key));
  const childrenOf = new Map<string, string[]>();
  for (const requirement of base.requirements)
    if (requirement.parentKey)
      childrenOf.set(requirement.parentKey, [...(childrenOf.get(requirement.parentKey) ?? []), requirement.key]);
  const collect = (selections: SelectControls[], kind: string): Set<string> => {
    const keys = new Set<string>();
    selections.forEach((selection, index) =>
      (selection["with-ids"] ?? []).forEach((id, idIndex) => {
        if (!known.has(id)) {
          const path = `$.profile.imports[0]["${kind}"][${index}]["with-ids"][${idIndex}]`;
          problems.push(pathProblem("unknown_id", `The framework has no control ${id}`, path));
          return;
        }
        keys.add(id);
        if (selection["with-child-controls"] === "yes") addDescendants(id, childrenOf, keys);
      }),
    );
    return keys;
  };
  const included = imported["include-all"] ? known : collect(imported["include-controls"] ?? [], "include-controls");
  const excluded = collect(imported["exclude-controls"] ?? [], "exclude-controls");
  return new Set([...included].filter((key) => !excluded.has(key)));
}

function addDescendants(key: string, childrenOf: Map<string, string[]>, into: Set<string>): void {
  for (const child of childrenOf.get(key) ?? []) {
    into.add(child);
    addDescendants(child, childrenOf, into);
  }
}

/** Keeps the selected requirements in the base's order; one whose parent is left out moves up to its ancestor kept. */
function keepSelected(all: ParsedRequirement[], selected: Set<string>, isFlat: boolean): ParsedRequirement[] {
  const parentOf = new Map(all.map((requirement) => [requirement.key, requirement.parentKey]));
  const keptAncestor = (key: string | null): string | null => {
    let current = key;
    while (current !== null && !selected.has(current)) current = parentOf.get(current) ?? null;
    return current;
  };
  const depthOf = new Map<string, number>();
  const kept: ParsedRequirement[] = [];
  for (const requirement of all) {
    if (!selected.has(requirement.key)) continue;
    const parentKey = keptAncestor(requirement.parentKey);
    const depth = parentKey === null ? 0 : (depthOf.get(parentKey) ?? 0) + 1;
    depthOf.set(requirement.key, depth);
    const params = requirement.params.map((param) => ({ ...param }));
    const groupId = isFlat ? null : requirement.groupId;
    kept.push({ ...requirement, parentKey, depth, groupId, params, position: kept.length });
  }
  return kept;
}

function groupsHolding(groups: ParsedGroup[], requirements: ParsedRequirement[]): ParsedGroup[] {
  const needed = new Set(requirements.map((requirement) => requirement.groupId).filter((key) => key !== null));
  const parentOf = new Map(groups.map((group) => [group.key, group.parentKey]));
  for (const key of [...needed]) {
    let parent = parentOf.get(key) ?? null;
    while (parent !== null) {
      needed.add(parent);
      parent = parentOf.get(parent) ?? null;
    }
  }
  return groups.filter((group) => needed.has(group.key)).map((group, position) => ({ ...group, position }));
}

function applySetParameters(
  requirements: ParsedRequirement[],
  settings: SetParameter[],
  problems: ImportProblem[],
): void {
  const owners = new Map<string, ParsedRequirement>();
  for (const requirement of requirements) for (const param of requirement.params) owners.set(param.id, requirement);
  settings.forEach((setting, index) => {
    const owner = owners.get(setting["param-id"]);
    if (!owner) {
      const path = `$.profile.modify["set-parameters"][${index}]["param-id"]`;
      problems.push(pathProblem("unknown_param", `No selected control has parameter ${setting["param-id"]}`, path));
      return;
    }
    owner.params = owner.params.map((param) => (param.id === setting["param-id"] ? applied(param, setting) : param));
    owner.oscal = owner.oscal ? withOscalParam(owner.oscal, setting) : null;
  });
}

function applied(param: ParsedRequirement["params"][number], setting: SetParameter) {
  return {
    ...param,
    label: setting.label ?? param.label,
    values: setting.values ?? param.values,
    choices: setting.select?.choice ?? param.choices,
    howMany: setting.select ? (setting.select["how-many"] ?? "one") : param.howMany,
  };
}

function withOscalParam(oscal: Record<string, unknown>, setting: SetParameter): Record<string, unknown> {
  const params = (oscal.params as OscalParam[] | undefined) ?? [];
  const { "param-id": id, ...changes } = setting;
  return { ...oscal, params: params.map((param) => (param.id === id ? { ...param, ...changes } : param)) };
}
