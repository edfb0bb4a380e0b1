import type { ControlRequirementMapping } from "@status/shared";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { useControlMappings, useUnmapRequirement } from "../api/control-mappings.ts";
import { frameworkPath } from "../utils/framework-path.ts";
import { RELATIONSHIP_LABELS } from "../utils/requirement-status.ts";
import { MapRequirementForm } from "./map-requirement-form.tsx";

function MappingRow({ mapping, canEdit }: { mapping: ControlRequirementMapping; canEdit: boolean }) {
  const unmap = useUnmapRequirement(mapping.controlId);
  const name = mapping.requirementLabel ?? mapping.requirementKey;
  return (
    <TableRow>
      <TableCell>
        <Link to={frameworkPath(mapping.frameworkId)} className="text-indigo-700 hover:underline dark:text-indigo-300">
          {mapping.frameworkName} {mapping.frameworkVersion}
        </Link>
      </TableCell>
      <TableCell className="font-mono text-xs whitespace-nowrap">{name}</TableCell>
      <TableCell>{mapping.requirementTitle}</TableCell>
      <TableCell>{RELATIONSHIP_LABELS[mapping.relationship]}</TableCell>
      <TableCell>{mapping.rationale ?? "—"}</TableCell>
      {canEdit && (
        <TableCell className="text-right">
          <Button
            variant="ghost"
            size="sm"
            isLoading={unmap.isPending}
            aria-label={`Remove ${name}`}
            onClick={() => unmap.mutate(mapping.requirementId)}
          >
            Remove
          </Button>
          {unmap.isError && <Alert className="mt-2 text-left">{unmap.error.message}</Alert>}
        </TableCell>
      )}
    </TableRow>
  );
}

/** The framework requirements a control satisfies (in part or whole); developers map and unmap them here. */
export function ControlRequirements({ controlId, canEdit }: { controlId: string; canEdit: boolean }) {
  const mappingsQuery = useControlMappings(controlId);
  const mappings = mappingsQuery.data ?? [];
  return (
    <section aria-labelledby="requirements-heading" className="space-y-3">
      <h2 id="requirements-heading" className="text-lg font-semibold">
        Requirements
      </h2>
      {mappingsQuery.isPending && <PageSpinner label="Loading mapped requirements" />}
      {mappingsQuery.isError && (
        <Alert title="The mapped requirements could not be loaded">{mappingsQuery.error.message}</Alert>
      )}
      {mappingsQuery.data?.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This control is not mapped to any framework requirement.
        </p>
      )}
      {mappings.length > 0 && (
        <Table aria-label="Mapped requirements">
          <TableHead>
            <tr>
              <TableHeaderCell>Framework</TableHeaderCell>
              <TableHeaderCell>Id</TableHeaderCell>
              <TableHeaderCell>Title</TableHeaderCell>
              <TableHeaderCell>Relationship</TableHeaderCell>
              <TableHeaderCell>Rationale</TableHeaderCell>
              {canEdit && (
                <TableHeaderCell>
                  <span className="sr-only">Actions</span>
                </TableHeaderCell>
              )}
            </tr>
          </TableHead>
          <TableBody>
            {mappings.map((mapping) => (
              <MappingRow key={mapping.id} mapping={mapping} canEdit={canEdit} />
            ))}
          </TableBody>
        </Table>
      )}
      {canEdit && <MapRequirementForm controlId={controlId} />}
    </section>
  );
}
