import {
  MappingRelationshipSchema,
  type Framework,
  type ImportProblem,
  type MappingRelationship,
} from "@status/shared";
import { uuidV5 } from "../../../lib/uuid-v5.ts";
import { pathProblem } from "../parsed-framework.ts";
import type { FrameworkMappingRow } from "../mappings.repository.ts";

export const OSCAL_EXPORT_VERSION = "1.2.1";

/** URNs that name STATUS objects in OSCAL documents (sources and targets of mappings, catalogs). */
export const catalogUrn = (catalogId: string) => `urn:status:catalog:${catalogId}`;
export const frameworkUrn = (frameworkId: string) => `urn:status:framework:${frameworkId}`;

/**
 * An OSCAL 1.2 mapping-collection of a framework's mappings: one `mapping` per STATUS catalog (source: its controls by
 * id; target: the framework's requirements by key), one `map` per control and requirement with the NIST IR 8477
 * relationship and the rationale as remarks. UUIDs are derived from ids, so exporting twice gives the same document
 * apart from `last-modified`.
 */
export function buildMappingCollection(framework: Framework, rows: FrameworkMappingRow[], now: Date): object {
  const byCatalog = new Map<string, FrameworkMappingRow[]>();
  for (const row of rows) byCatalog.set(row.catalogId, [...(byCatalog.get(row.catalogId) ?? []), row]);
  const mappings = [...byCatalog].map(([catalogId, catalogRows]) => ({
    uuid: uuidV5(`mapping:${framework.id}:${catalogId}`),
    "source-resource": { type: "catalog", href: catalogUrn(catalogId) },
    "target-resource": { type: "catalog", href: frameworkUrn(framework.id) },
    maps: catalogRows.map((row) => ({
      uuid: uuidV5(`map:${row.controlId}:${row.requirementId}`),
      relationship: row.relationship,
      sources: [{ type: "control", "id-ref": row.controlId, remarks: row.controlName }],
      targets: [{ type: "control", "id-ref": row.requirementKey }],
      ...(row.rationale ? { remarks: row.rationale } : {}),
    })),
  }));
  return {
    "mapping-collection": {
      uuid: uuidV5(`mapping-collection:${framework.id}`),
      metadata: {
        title: `STATUS controls mapped to ${framework.name} ${framework.version}`,
        "last-modified": now.toISOString(),
        version: framework.version,
        "oscal-version": OSCAL_EXPORT_VERSION,
      },
      provenance: {
        method: "human",
        "matching-rationale": "functional",
        status: "complete",
        "mapping-description": "Which STATUS controls evaluate which requirements, with NIST IR 8477 relationships.",
      },
      mappings,
    },
  };
}

interface MapItem {
  type: string;
  "id-ref": string;
}
interface OscalMap {
  relationship: string;
  sources: MapItem[];
  targets: MapItem[];
  remarks?: string;
}
interface OscalMappingCollection {
  mappings: { maps: OscalMap[] } | { maps: OscalMap[] }[];
}

/** One control-to-requirement pair a mapping-collection asks for, with where it was found. */
export interface MappingPair {
  controlId: string;
  requirementKey: string;
  relationship: MappingRelationship;
  rationale: string | null;
  path: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the pairs of a schema-valid mapping-collection: every source control × target control of every map. Sources
 * must be STATUS control ids and targets requirement keys; statements, other relationships and other ids are
 * problems with their JSON path.
 */
export function readMappingPairs(collection: OscalMappingCollection): {
  pairs: MappingPair[];
  problems: ImportProblem[];
} {
  const pairs: MappingPair[] = [];
  const problems: ImportProblem[] = [];
  const mappings = Array.isArray(collection.mappings) ? collection.mappings : [collection.mappings];
  mappings.forEach((mapping, mappingIndex) =>
    mapping.maps.forEach((map, mapIndex) => {
      const at = `$["mapping-collection"].mappings[${mappingIndex}].maps[${mapIndex}]`;
      const relationship = MappingRelationshipSchema.safeParse(map.relationship);
      if (!relationship.success) {
        problems.push(
          pathProblem(
            "unsupported",
            `Relationship ${map.relationship} is not one of NIST IR 8477's four`,
            `${at}.relationship`,
          ),
        );
        return;
      }
      const sources = usableItems(map.sources, `${at}.sources`, problems, (id) => UUID.test(id), "a STATUS control id");
      const targets = usableItems(map.targets, `${at}.targets`, problems, () => true, "a requirement key");
      for (const source of sources)
        for (const target of targets)
          pairs.push({
            controlId: source,
            requirementKey: target,
            relationship: relationship.data,
            rationale: map.remarks?.slice(0, 2000) ?? null,
            path: at,
          });
    }),
  );
  return { pairs, problems };
}

function usableItems(
  items: MapItem[],
  at: string,
  problems: ImportProblem[],
  isValid: (id: string) => boolean,
  what: string,
): string[] {
  const ids: string[] = [];
  items.forEach((item, index) => {
    if (item.type !== "control")
      problems.push(pathProblem("unsupported", `Only controls are mapped, not ${item.type}s`, `${at}[${index}].type`));
    else if (!isValid(item["id-ref"]))
      problems.push(pathProblem("unknown_id", `${item["id-ref"]} is not ${what}`, `${at}[${index}]["id-ref"]`));
    else ids.push(item["id-ref"]);
  });
  return ids;
}
