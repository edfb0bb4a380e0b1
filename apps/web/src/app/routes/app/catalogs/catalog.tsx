import { hasRole, IdSchema } from "@status/shared";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, type LoaderFunctionArgs } from "react-router";
import { ArchiveBanner } from "@/components/archive/archive-banner.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getCatalogQueryOptions, useCatalog } from "@/features/catalogs/api/get-catalog.ts";
import { ArchiveCatalogDialog } from "@/features/catalogs/components/archive-catalog-dialog.tsx";
import { CatalogDetails } from "@/features/catalogs/components/catalog-details.tsx";
import { CatalogStatusBadge } from "@/features/catalogs/components/catalog-status-badge.tsx";
import { DeleteCatalogDialog } from "@/features/catalogs/components/delete-catalog-dialog.tsx";
import { EditCatalogDialog } from "@/features/catalogs/components/edit-catalog-dialog.tsx";
import { FinalizeCatalogDialog } from "@/features/catalogs/components/finalize-catalog-dialog.tsx";
import { ImportScannerDialog } from "@/features/evidence-import/components/import-scanner-dialog.tsx";
import { controlKeys } from "@/features/controls/api/control-keys.ts";
import { getControlStatesQueryOptions } from "@/features/controls/api/get-control-states.ts";
import { CreateControlDialog } from "@/features/controls/components/control-dialogs.tsx";
import { DeleteSelectedControls } from "@/features/controls/components/delete-selected-controls.tsx";
import { controlPath } from "@/features/controls/utils/control-path.ts";
import { useMashups } from "@/features/mashups/api/get-mashups.ts";
import { RunCatalogPanel } from "@/features/runs/components/run-catalog-panel.tsx";
import { RunSelected } from "@/features/runs/components/run-selected-button.tsx";
import { getCatalogControlsQueryOptions, parseControlListQuery } from "@/features/controls/api/get-catalog-controls.ts";
import { CatalogControls } from "@/features/controls/components/catalog-controls.tsx";
import { CatalogPublication } from "@/features/registry/components/catalog-publication.tsx";
import { isApiError } from "@/lib/api-client.ts";

/** Starts the catalog and its controls in parallel; the page shows its own loading, error and 404 states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params, request }: LoaderFunctionArgs) => {
    const catalogId = params.catalogId ?? "";
    if (!IdSchema.safeParse(catalogId).success) return null;
    const controlsQuery = parseControlListQuery(new URL(request.url).searchParams);
    void queryClient.prefetchQuery(getCatalogQueryOptions(catalogId));
    void queryClient.prefetchQuery(getCatalogControlsQueryOptions(catalogId, controlsQuery));
    void queryClient.prefetchQuery(getControlStatesQueryOptions(catalogId));
    return null;
  };

function BackToCatalogs() {
  return (
    <Link to="/catalogs" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
      ← All catalogs
    </Link>
  );
}

function CatalogNotFound() {
  return (
    <>
      <title>Catalog not found · STATUS</title>
      <BackToCatalogs />
      <PageHeader title="Catalog not found" description="It may have been deleted, or the address is wrong." />
    </>
  );
}

export function CatalogRoute() {
  const { catalogId = "" } = useParams();
  const isValidId = IdSchema.safeParse(catalogId).success;
  const { user } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const catalogQuery = useCatalog(catalogId, { enabled: isValidId });
  const canEdit = hasRole(user.role, "DEVELOPER");
  const mashupsQuery = useMashups(undefined, { enabled: canEdit && isValidId });

  if (!isValidId || isApiError(catalogQuery.error, "not_found")) return <CatalogNotFound />;
  if (catalogQuery.isPending) return <PageSpinner label="Loading catalog" />;
  if (catalogQuery.isError) {
    return (
      <>
        <BackToCatalogs />
        <LoadError
          title="The catalog could not be loaded"
          error={catalogQuery.error}
          onRetry={() => void catalogQuery.refetch()}
        />
      </>
    );
  }

  const catalog = catalogQuery.data;
  const isArchived = catalog.archive !== null;
  const canFinalize = catalog.status === "draft" && canEdit && !isArchived;
  // Only a draft is ever deleted (it has no points); a catalog with history is archived instead.
  const canDelete = catalog.status === "draft" && canEdit;
  // Runs change the controls' states and, once done, the catalog's points.
  const refreshStates = () => void queryClient.invalidateQueries({ queryKey: controlKeys.states(catalog.id) });
  return (
    <>
      <title>{`${catalog.name} · STATUS`}</title>
      <BackToCatalogs />
      <PageHeader
        title={catalog.name}
        description={<CatalogStatusBadge status={catalog.status} />}
        actions={
          <>
            {/* Everyone signed in takes the period's OSCAL, report and packs; only DEVELOPER and up start a pack. */}
            <Link to={`/catalogs/${catalog.id}/auditors`} className={buttonVariants({ variant: "secondary" })}>
              Export for auditors
            </Link>
            {canEdit && (
              <>
                {canFinalize && (
                  <FinalizeCatalogDialog
                    catalog={catalog}
                    // Finalizing a catalog finalizes its controls too.
                    onFinalized={() => void queryClient.invalidateQueries({ queryKey: controlKeys.all })}
                  />
                )}
                {!isArchived && <EditCatalogDialog catalog={catalog} />}
                {!isArchived && <ImportScannerDialog catalog={catalog} />}
                <ArchiveCatalogDialog
                  catalog={catalog}
                  // The controls' archived state follows the catalog's.
                  onChanged={() => void queryClient.invalidateQueries({ queryKey: controlKeys.all })}
                />
                {canDelete && (
                  <DeleteCatalogDialog
                    catalog={catalog}
                    onDeleted={() => void navigate("/catalogs", { replace: true })}
                  />
                )}
              </>
            )}
          </>
        }
      />
      {catalog.archive && <ArchiveBanner archive={catalog.archive} what="catalog" timeZone={catalog.timeZone} />}
      <CatalogDetails catalog={catalog} />
      <CatalogPublication catalog={catalog} canManage={canEdit && !isArchived} />
      {!isArchived && (
        <section aria-label="Run the catalog" className="mb-8">
          <RunCatalogPanel catalogId={catalog.id} timeZone={catalog.timeZone} onBatchDone={refreshStates} />
        </section>
      )}
      <CatalogControls
        catalogId={catalog.id}
        isCatalogArchived={isArchived}
        catalogTimeZone={catalog.timeZone}
        actions={
          canEdit &&
          !isArchived && (
            <CreateControlDialog
              catalogId={catalog.id}
              mashups={mashupsQuery.data?.items ?? []}
              mashupsError={mashupsQuery.error?.message}
              timeZone={catalog.timeZone}
              onCreated={(control) => void navigate(controlPath(catalog.id, control.id))}
            />
          )
        }
        bulkActions={
          isArchived
            ? undefined
            : (selected, clearSelection) => (
                <>
                  <RunSelected controls={selected} timeZone={catalog.timeZone} onBatchDone={refreshStates} />
                  {canDelete && (
                    <DeleteSelectedControls catalogId={catalog.id} controls={selected} onDeleted={clearSelection} />
                  )}
                </>
              )
        }
      />
    </>
  );
}
