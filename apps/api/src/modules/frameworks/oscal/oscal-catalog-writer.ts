import type { Framework } from "@status/shared";
import { uuidV5 } from "../../../lib/uuid-v5.ts";
import type { ParsedGroup, ParsedRequirement } from "../parsed-framework.ts";
import {
  GROUP_KEY_PROP,
  REQUIREMENT_KEY_PROP,
  STATUS_OSCAL_NS,
  type OscalControl,
  type OscalProp,
} from "./oscal-catalog-reader.ts";
import { OSCAL_EXPORT_VERSION } from "./oscal-mapping-collection.ts";

const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;

export interface CatalogSource {
  framework: Framework;
  metadata: Record<string, unknown> | null;
  sourceUuid: string | null;
  groups: ParsedGroup[];
  requirements: ParsedRequirement[];
}

/**
 * A framework as an OSCAL catalog that validates against the 1.2.1 schema. Requirements imported from OSCAL are
 * written back as they came (with a profile's parameter settings applied); others are built from their fields.
 */
export function buildOscalCatalog(source: CatalogSource): object {
  const { framework } = source;
  const childrenOf = new Map<string | null, ParsedRequirement[]>();
  for (const requirement of source.requirements)
    childrenOf.set(requirement.parentKey, [...(childrenOf.get(requirement.parentKey) ?? []), requirement]);
  const controlOf = (requirement: ParsedRequirement): OscalControl => {
    const children = (childrenOf.get(requirement.key) ?? []).map(controlOf);
    const own = (requirement.oscal as OscalControl | null) ?? builtControl(requirement);
    return children.length > 0 ? { ...own, controls: children } : own;
  };
  const roots = childrenOf.get(null) ?? [];
  const groupOf = (group: ParsedGroup): Record<string, unknown> => {
    const controls = roots.filter((requirement) => requirement.groupId === group.key).map(controlOf);
    const subgroups = source.groups.filter((child) => child.parentKey === group.key).map(groupOf);
    const own = group.oscal ?? builtGroup(group);
    return { ...own, ...(controls.length ? { controls } : {}), ...(subgroups.length ? { groups: subgroups } : {}) };
  };
  const knownGroups = new Set(source.groups.map((group) => group.key));
  const groups = source.groups.filter((group) => group.parentKey === null).map(groupOf);
  const ungrouped = roots.filter((requirement) => !requirement.groupId || !knownGroups.has(requirement.groupId));
  return {
    catalog: {
      uuid: source.sourceUuid ?? uuidV5(`framework:${framework.id}`),
      metadata: {
        ...(source.metadata ?? {}),
        title: framework.name,
        "last-modified": framework.updatedAt,
        version: framework.version,
        "oscal-version": OSCAL_EXPORT_VERSION,
        ...(framework.description && !source.metadata ? { remarks: framework.description } : {}),
      },
      ...(groups.length ? { groups } : {}),
      ...(ungrouped.length ? { controls: ungrouped.map(controlOf) } : {}),
    },
  };
}

function builtGroup(group: ParsedGroup): Record<string, unknown> {
  if (TOKEN.test(group.key)) return { id: group.key, title: group.title };
  return { title: group.title, props: [{ name: GROUP_KEY_PROP, ns: STATUS_OSCAL_NS, value: group.key }] };
}

function builtControl(requirement: ParsedRequirement): OscalControl {
  const id = TOKEN.test(requirement.key) ? requirement.key : tokenOf(requirement.key);
  const props: OscalProp[] = [
    ...(requirement.label ? [{ name: "label", value: requirement.label }] : []),
    ...(id !== requirement.key ? [{ name: REQUIREMENT_KEY_PROP, ns: STATUS_OSCAL_NS, value: requirement.key }] : []),
  ];
  const parts = [
    ...(requirement.statement ? [{ id: `${id}_smt`, name: "statement", prose: requirement.statement }] : []),
    ...(requirement.guidance ? [{ id: `${id}_gdn`, name: "guidance", prose: requirement.guidance }] : []),
  ];
  return {
    id,
    ...(requirement.className ? { class: requirement.className } : {}),
    title: requirement.title,
    ...(props.length ? { props } : {}),
    ...(parts.length ? { parts } : {}),
  };
}

/** An OSCAL token for a key that is not one: other characters become `_`, and a leading digit gets a `_` before it. */
function tokenOf(key: string): string {
  const replaced = key.replace(/[^\p{L}\p{N}._-]/gu, "_");
  return /^(\p{L}|_)/u.test(replaced) ? replaced : `_${replaced}`;
}
