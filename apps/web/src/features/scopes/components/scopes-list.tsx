import { ScopeListQuerySchema, ScopeTypeSchema, type Scope, type ScopeListQuery } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useScopes } from "../api/get-scopes.ts";
import { formatAllowedValues, formatScopeValue } from "../utils/scope-values.ts";
import { DeleteScopeDialog, EditScopeDialog } from "./scope-dialogs.tsx";

const SORT_OPTIONS = [
  { value: "name", label: "Name (A–Z)" },
  { value: "-name", label: "Name (Z–A)" },
  { value: "-createdAt", label: "Newest" },
  { value: "createdAt", label: "Oldest" },
] as const;

/** Searchable, filterable, paginated scopes; all of that state lives in the URL. */
export function ScopesList({ canEdit }: { canEdit: boolean }) {
  const { query, update } = useListParams(ScopeListQuerySchema);
  const scopesQuery = useScopes(query);
  const isFiltered = Boolean(query.q || query.type || query.page > 1);

  return (
    <section aria-label="Scopes">
      <ScopesToolbar query={query} onChange={update} />
      <PagedList
        query={scopesQuery}
        loadingLabel="Loading scopes"
        errorTitle="The scopes could not be loaded"
        empty={{
          title: isFiltered ? "No scopes match these filters" : "No scopes yet",
          body: isFiltered ? (
            <Button variant="secondary" size="sm" onClick={() => update({ q: undefined, type: undefined, page: 1 })}>
              Clear filters
            </Button>
          ) : (
            <p>Scopes are the dimensions, such as repository or team, that controls are evaluated for.</p>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(scopes, isUpdating) => <ScopesTable scopes={scopes} isUpdating={isUpdating} canEdit={canEdit} />}
      </PagedList>
    </section>
  );
}

function ScopesToolbar({
  query,
  onChange,
}: {
  query: ScopeListQuery;
  onChange: (changes: Partial<ScopeListQuery>) => void;
}) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto_auto]">
      <SearchBox value={query.q ?? ""} placeholder="Name or description" onSearch={(q) => onChange({ q })} />
      <SelectFilter
        label="Type"
        value={query.type}
        anyLabel="All types"
        options={enumOptions(ScopeTypeSchema.options)}
        onChange={(type) => onChange({ type })}
      />
      <SelectFilter label="Sort by" value={query.sort} options={SORT_OPTIONS} onChange={(sort) => onChange({ sort })} />
    </div>
  );
}

function ScopesTable({ scopes, isUpdating, canEdit }: { scopes: Scope[]; isUpdating: boolean; canEdit: boolean }) {
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Type</TableHeaderCell>
          <TableHeaderCell>Default</TableHeaderCell>
          <TableHeaderCell>Allowed values</TableHeaderCell>
          <TableHeaderCell>Updated</TableHeaderCell>
          {canEdit && (
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          )}
        </tr>
      </TableHead>
      <TableBody>
        {scopes.map((scope) => (
          <TableRow key={scope.id}>
            <TableCell className="max-w-xs">
              <span className="font-mono font-medium">{scope.name}</span>
              {scope.description && (
                <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400">{scope.description}</p>
              )}
            </TableCell>
            <TableCell>
              <Badge>{scope.type}</Badge>
            </TableCell>
            <TableCell className="font-mono">{formatScopeValue(scope.defaultValue) || "—"}</TableCell>
            <TableCell className="max-w-xs truncate font-mono">
              {formatAllowedValues(scope.allowedValues) || "Any"}
            </TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(scope.updatedAt)}</TableCell>
            {canEdit && (
              <TableCell className="text-right whitespace-nowrap">
                <div className="flex justify-end gap-1">
                  <EditScopeDialog scope={scope} />
                  <DeleteScopeDialog scope={scope} />
                </div>
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
