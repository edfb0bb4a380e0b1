import { FrameworkListQuerySchema, type Framework, type FrameworkSource } from "@status/shared";
import { Link } from "react-router";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDate } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useFrameworks } from "../api/get-frameworks.ts";
import { frameworkPath } from "../utils/framework-path.ts";

export const SOURCE_LABELS: Record<FrameworkSource, string> = {
  "oscal-catalog": "OSCAL catalog",
  "oscal-profile": "OSCAL profile",
  csv: "CSV",
  xlsx: "XLSX",
  library: "Bundled library",
};

function FrameworksTable({ frameworks, isUpdating }: { frameworks: Framework[]; isUpdating: boolean }) {
  return (
    <Table aria-busy={isUpdating || undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Framework</TableHeaderCell>
          <TableHeaderCell>Version</TableHeaderCell>
          <TableHeaderCell>Source</TableHeaderCell>
          <TableHeaderCell className="text-right">Requirements</TableHeaderCell>
          <TableHeaderCell className="text-right">Groups</TableHeaderCell>
          <TableHeaderCell>Updated</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {frameworks.map((framework) => (
          <TableRow key={framework.id}>
            <TableCell>
              <Link
                to={frameworkPath(framework.id)}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {framework.name}
              </Link>
            </TableCell>
            <TableCell>{framework.version}</TableCell>
            <TableCell>{SOURCE_LABELS[framework.source]}</TableCell>
            <TableCell className="text-right tabular-nums">{framework.requirementCount}</TableCell>
            <TableCell className="text-right tabular-nums">{framework.groupCount}</TableCell>
            <TableCell>{formatDate(framework.updatedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The imported frameworks, searchable and paginated; that state lives in the URL. */
export function FrameworksList() {
  const { query, update } = useListParams(FrameworkListQuerySchema);
  const frameworksQuery = useFrameworks(query);
  const isFiltered = Boolean(query.q || query.page > 1);
  return (
    <section aria-labelledby="imported-heading" className="space-y-3">
      <h2 id="imported-heading" className="text-lg font-semibold">
        Imported frameworks
      </h2>
      <div className="max-w-sm">
        <SearchBox value={query.q ?? ""} onSearch={(q) => update({ q: q || undefined })} />
      </div>
      <PagedList
        query={frameworksQuery}
        loadingLabel="Loading frameworks"
        errorTitle="The frameworks could not be loaded"
        empty={{
          title: isFiltered ? "No frameworks match this search" : "No frameworks yet",
          body: isFiltered ? (
            <Button variant="secondary" size="sm" onClick={() => update({ q: undefined, page: 1 })}>
              Clear search
            </Button>
          ) : (
            <p>Install one from the library or import an OSCAL catalog or a spreadsheet.</p>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(frameworks, isUpdating) => <FrameworksTable frameworks={frameworks} isUpdating={isUpdating} />}
      </PagedList>
    </section>
  );
}
