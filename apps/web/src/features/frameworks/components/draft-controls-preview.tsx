import { MAX_PAGE_SIZE, type FrameworkDetail } from "@status/shared";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatCount } from "@/lib/format.ts";
import { useRequirements } from "../api/get-requirements.ts";
import { countInGroups, flattenTree, withSubgroups, type RequirementPick } from "../utils/requirement-selection.ts";

type PreviewRow = RequirementPick["requirements"][number];

/** How many draft controls a pick makes: the framework's or the groups' counts, or the single picks. */
export function draftControlCount(framework: FrameworkDetail, pick: RequirementPick): number {
  if (pick.mode === "all") return framework.requirementCount;
  if (pick.mode === "groups") return countInGroups(framework.groups, pick.groupIds);
  return pick.requirements.length;
}

function PreviewTable({ rows }: { rows: readonly PreviewRow[] }) {
  return (
    <Table aria-label="Draft controls">
      <TableHead>
        <tr>
          <TableHeaderCell>Requirement</TableHeaderCell>
          <TableHeaderCell>Control name</TableHeaderCell>
          <TableHeaderCell>Description</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id}>
            <TableCell className="font-mono text-xs whitespace-nowrap">{row.label ?? row.key}</TableCell>
            <TableCell>{row.title}</TableCell>
            <TableCell className="max-w-lg truncate" title={row.statement}>
              {row.statement || "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The draft controls a pick will create, one per requirement, mapped to it, their mashups still to bind. Whole
 * frameworks and groups are previewed from the first page of the tree (the first 200 top-level requirements).
 */
export function DraftControlsPreview({ framework, pick }: { framework: FrameworkDetail; pick: RequirementPick }) {
  const treeQuery = useRequirements(
    framework.id,
    { page: 1, pageSize: MAX_PAGE_SIZE },
    { enabled: pick.mode !== "requirements" },
  );
  const count = draftControlCount(framework, pick);
  if (pick.mode === "requirements")
    return (
      <div className="space-y-2">
        <p className="text-sm font-medium">{formatCount(count, "draft control")}</p>
        <PreviewTable rows={pick.requirements} />
      </div>
    );
  if (treeQuery.isPending) return <PageSpinner label="Loading the requirements" />;
  if (treeQuery.isError)
    return (
      <LoadError
        title="The requirements could not be loaded"
        error={treeQuery.error}
        onRetry={() => void treeQuery.refetch()}
      />
    );
  const groupIds = withSubgroups(framework.groups, pick.groupIds);
  const rows = flattenTree(treeQuery.data.items).filter(
    (row) => pick.mode === "all" || (row.groupId !== null && groupIds.has(row.groupId)),
  );
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium">
        {formatCount(count, "draft control")}
        {rows.length < count && ` (the first ${rows.length} are shown)`}
      </p>
      <PreviewTable rows={rows} />
    </div>
  );
}
