import {
  RequirementListQuerySchema,
  type FrameworkGroup,
  type RequirementCompliance,
  type RequirementNode,
} from "@status/shared";
import { clsx } from "clsx";
import { Link } from "react-router";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { SelectFilter } from "@/components/ui/select-filter.tsx";
import { formatCount } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useRequirements } from "../api/get-requirements.ts";
import { MAPPED_CONTROL_STATUS_LABELS, RELATIONSHIP_LABELS } from "../utils/requirement-status.ts";
import { RequirementStatusBadge } from "./requirement-status-badge.tsx";

/** The roll-up of each requirement by id, or why it is missing. */
export type ComplianceLookup =
  { state: "ready"; byRequirementId: ReadonlyMap<string, RequirementCompliance> } | { state: "loading" | "error" };

function MappedControls({ compliance }: { compliance: RequirementCompliance }) {
  if (compliance.controls.length === 0)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No control is mapped to this requirement.</p>;
  return (
    <ul aria-label="Mapped controls" className="space-y-1 text-sm">
      {compliance.controls.map((control) => (
        <li key={control.controlId} className="flex flex-wrap gap-x-2">
          <Link
            to={`/catalogs/${control.catalogId}/controls/${control.controlId}`}
            className="text-indigo-700 hover:underline dark:text-indigo-300"
          >
            {control.name}
          </Link>
          <span className="text-zinc-500">{RELATIONSHIP_LABELS[control.relationship].toLowerCase()}</span>
          <span>
            {MAPPED_CONTROL_STATUS_LABELS[control.status]} ({control.passCount} passing, {control.failCount} failing)
          </span>
        </li>
      ))}
    </ul>
  );
}

function RequirementItem({ node, compliance }: { node: RequirementNode; compliance: ComplianceLookup }) {
  const rollUp = compliance.state === "ready" ? compliance.byRequirementId.get(node.id) : undefined;
  return (
    <li aria-label={`${node.label ?? node.key} ${node.title}`} className="space-y-1">
      <details
        className={clsx(
          "rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800",
          !node.isMatch && "opacity-70",
        )}
      >
        <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1">
          <span className="font-mono text-xs">{node.label ?? node.key}</span>
          <span className="font-medium">{node.title}</span>
          {rollUp && <RequirementStatusBadge status={rollUp.status} />}
          {rollUp && <span className="text-xs text-zinc-500">{formatCount(rollUp.controls.length, "control")}</span>}
        </summary>
        <div className="mt-2 space-y-2 text-sm">
          {node.statement && <p className="whitespace-pre-line">{node.statement}</p>}
          {node.guidance && (
            <p className="whitespace-pre-line text-zinc-600 dark:text-zinc-400">
              <span className="font-medium">Guidance: </span>
              {node.guidance}
            </p>
          )}
          {rollUp && <MappedControls compliance={rollUp} />}
          {compliance.state === "error" && <p className="text-zinc-500">The status could not be loaded.</p>}
        </div>
      </details>
      {node.children.length > 0 && (
        <ul className="ml-6 space-y-1">
          {node.children.map((child) => (
            <RequirementItem key={child.id} node={child} compliance={compliance} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The requirement tree, paged by top-level requirement, with search and a group filter kept in the URL. */
export function RequirementTree({
  frameworkId,
  groups,
  compliance,
}: {
  frameworkId: string;
  groups: readonly FrameworkGroup[];
  compliance: ComplianceLookup;
}) {
  const { query, update } = useListParams(RequirementListQuerySchema);
  const requirementsQuery = useRequirements(frameworkId, query);
  const isFiltered = Boolean(query.search || query.group);
  return (
    <section aria-labelledby="requirements-heading" className="space-y-3">
      <h2 id="requirements-heading" className="text-lg font-semibold">
        Requirements
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-72">
          <SearchBox
            label="Search requirements"
            value={query.search ?? ""}
            onSearch={(search) => update({ search: search || undefined })}
          />
        </div>
        <SelectFilter
          label="Group"
          value={query.group}
          anyLabel="All groups"
          options={groups.map((group) => ({ value: group.id, label: `${group.title} (${group.requirementCount})` }))}
          onChange={(group) => update({ group })}
        />
        {requirementsQuery.data && isFiltered && (
          <p role="status" className="pb-2 text-sm text-zinc-600 dark:text-zinc-400">
            {formatCount(requirementsQuery.data.matchCount, "matching requirement")}
          </p>
        )}
      </div>
      <PagedList
        query={requirementsQuery}
        loadingLabel="Loading requirements"
        errorTitle="The requirements could not be loaded"
        empty={{
          title: isFiltered ? "No requirements match these filters" : "This framework has no requirements",
          body: isFiltered && (
            <Button variant="secondary" size="sm" onClick={() => update({ search: undefined, group: undefined })}>
              Clear filters
            </Button>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(nodes, isUpdating) => (
          <ul aria-label="Requirement tree" aria-busy={isUpdating || undefined} className="space-y-1">
            {nodes.map((node) => (
              <RequirementItem key={node.id} node={node} compliance={compliance} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
