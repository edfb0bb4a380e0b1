import { ControlListQuerySchema, type Control } from "@status/shared";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { TimeZoneToggle } from "@/components/ui/time-zone-toggle.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useTimeZone } from "@/lib/time-zone.ts";
import { useCatalogControls } from "../api/get-catalog-controls.ts";
import { useControlStates } from "../api/get-control-states.ts";
import { ControlsTable } from "./controls-table.tsx";
import { ControlsToolbar } from "./controls-toolbar.tsx";

interface CatalogControlsProps {
  catalogId: string;
  /** Actions on the selected controls (run, delete); without it rows cannot be selected. */
  bulkActions?: ((selected: Control[], clearSelection: () => void) => ReactNode) | undefined;
  /** Shown next to the heading, e.g. "Add control". */
  actions?: ReactNode;
  /** The catalog is archived, so all its controls are too: they are all listed, without the Archived filter. */
  isCatalogArchived?: boolean;
  /** The catalog's time zone: dates show in it (or in UTC, at the viewer's choice), labelled. */
  catalogTimeZone?: string | undefined;
}

/** The controls of one catalog with their current state; filters, sort and page live in the URL. */
export function CatalogControls({
  catalogId,
  bulkActions,
  actions,
  isCatalogArchived = false,
  catalogTimeZone,
}: CatalogControlsProps) {
  const { timeZone } = useTimeZone(catalogTimeZone);
  const { query: urlQuery, update } = useListParams(ControlListQuerySchema);
  const query = isCatalogArchived ? { ...urlQuery, archived: "all" as const } : urlQuery;
  const controlsQuery = useCatalogControls(catalogId, query);
  const statesQuery = useControlStates(catalogId);
  // Selection survives paging (ids), and is cleared on demand; the selected controls are the ones seen.
  const [selected, setSelected] = useState<Map<string, Control>>(new Map());
  const isFiltered = Boolean(
    query.q || query.status || query.period || query.state || query.result || query.scope || query.archived !== "false",
  );
  const items = controlsQuery.data?.items ?? [];

  const toggle = (controlId: string) =>
    setSelected((current) => {
      const next = new Map(current);
      const control = items.find((item) => item.id === controlId);
      if (next.has(controlId)) next.delete(controlId);
      else if (control) next.set(controlId, control);
      return next;
    });
  const toggleAll = (controlIds: string[]) =>
    setSelected((current) => {
      const next = new Map(current);
      const isAll = controlIds.every((id) => next.has(id));
      for (const control of items) {
        if (isAll) next.delete(control.id);
        else next.set(control.id, control);
      }
      return next;
    });
  const clearSelection = () => setSelected(new Map());

  return (
    <section aria-labelledby="catalog-controls-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="catalog-controls-heading" className="text-lg font-semibold">
          Controls
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <TimeZoneToggle catalogTimeZone={catalogTimeZone} />
          {actions}
        </div>
      </div>
      <ControlsToolbar query={query} onChange={update} hasArchivedFilter={!isCatalogArchived} />
      {bulkActions && selected.size > 0 && (
        <div
          role="region"
          aria-label="Bulk actions"
          className="mb-3 flex flex-wrap items-start gap-3 rounded-md border border-indigo-200 bg-indigo-50 p-3 dark:border-indigo-900 dark:bg-indigo-950/40"
        >
          <p className="text-sm font-medium">{selected.size} selected</p>
          {bulkActions([...selected.values()], clearSelection)}
          <Button variant="ghost" size="sm" onClick={clearSelection}>
            Clear selection
          </Button>
        </div>
      )}
      {statesQuery.isError && (
        <Alert variant="info" className="mb-3">
          The controls' current state could not be loaded: {statesQuery.error.message}
        </Alert>
      )}
      <PagedList
        query={controlsQuery}
        loadingLabel="Loading controls"
        errorTitle="The controls could not be loaded"
        empty={{
          title: isFiltered
            ? "No controls match these filters"
            : query.page > 1
              ? "No controls on this page"
              : "This catalog has no controls yet",
          body: (isFiltered || query.page > 1) && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                update({
                  q: undefined,
                  status: undefined,
                  period: undefined,
                  state: undefined,
                  result: undefined,
                  scope: undefined,
                  archived: "false",
                  page: 1,
                })
              }
            >
              {isFiltered ? "Clear filters" : "Go to the first page"}
            </Button>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(controls, isUpdating) => (
          <ControlsTable
            controls={controls}
            isUpdating={isUpdating}
            states={statesQuery.data}
            timeZone={timeZone}
            sort={query.sort}
            onSort={(sort) => update({ sort })}
            selection={
              bulkActions
                ? { selectedIds: new Set(selected.keys()), onToggle: toggle, onToggleAll: toggleAll }
                : undefined
            }
          />
        )}
      </PagedList>
    </section>
  );
}
