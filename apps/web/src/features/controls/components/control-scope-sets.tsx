import type { Scope } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useControlScopeSets } from "../api/get-control-scope-sets.ts";
import { useScopeSetPage } from "../hooks/use-scope-set-page.ts";
import { AddScopeSetDialog, DeleteScopeSetDialog, EditScopeSetDialog } from "./control-dialogs.tsx";
import type { ScopeSetVersioning } from "./scope-set-form.tsx";

interface ControlScopeSetsProps {
  controlId: string;
  /**
   * For DEVELOPER and ADMIN: the scope dimensions to build sets from; adding and deleting sets is offered then. With
   * `versioning` (a finalized control), every change asks for its reason and says which version it creates.
   */
  editing?: { scopes: readonly Scope[]; versioning?: ScopeSetVersioning | undefined } | undefined;
}

/** The scopes a control is evaluated for: one run per scope set and window. */
export function ControlScopeSets({ controlId, editing }: ControlScopeSetsProps) {
  const { query, setPage } = useScopeSetPage();
  const scopeSetsQuery = useControlScopeSets(controlId, query);

  return (
    <section aria-labelledby="control-scope-sets-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="control-scope-sets-heading" className="text-lg font-semibold">
          Scope sets
        </h2>
        {editing && <AddScopeSetDialog controlId={controlId} scopes={editing.scopes} versioning={editing.versioning} />}
      </div>
      <PagedList
        query={scopeSetsQuery}
        loadingLabel="Loading scope sets"
        errorTitle="The scope sets could not be loaded"
        empty={{
          title: query.page > 1 ? "No scope sets on this page" : "No scope sets",
          body:
            query.page > 1 ? (
              <Button variant="secondary" size="sm" onClick={() => setPage(1)}>
                Go to the first page
              </Button>
            ) : (
              <p>Without scope sets, the control is evaluated once per window with an empty scope.</p>
            ),
        }}
        onPageChange={setPage}
        isPaginationHiddenOnOnePage
      >
        {(scopeSets, isUpdating) => (
          <ul
            aria-busy={isUpdating}
            className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
          >
            {scopeSets.map((scopeSet) => (
              <li key={scopeSet.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <ul className="flex flex-wrap gap-1.5" aria-label="Scope values">
                  {Object.entries(scopeSet.values).map(([name, value]) => (
                    <li
                      key={name}
                      className="rounded-md bg-zinc-100 px-2 py-0.5 font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
                    >
                      {name} = {String(value)}
                    </li>
                  ))}
                </ul>
                <span className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
                  Updated {formatDateTime(scopeSet.updatedAt)}
                  {editing && (
                    <EditScopeSetDialog scopeSet={scopeSet} scopes={editing.scopes} versioning={editing.versioning} />
                  )}
                  {editing && <DeleteScopeSetDialog scopeSet={scopeSet} versioning={editing.versioning} />}
                </span>
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}
