import { hasRole, IdSchema } from "@status/shared";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Link, useParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "../../../../components/layout/page-header.tsx";
import { Alert } from "../../../../components/ui/alert.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { PageSpinner } from "../../../../components/ui/spinner.tsx";
import { useSession } from "../../../../features/auth/hooks/use-session.ts";
import { getCatalogQueryOptions, useCatalog } from "../../../../features/catalogs/api/get-catalog.ts";
import { CatalogDetails } from "../../../../features/catalogs/components/catalog-details.tsx";
import { CatalogStatusBadge } from "../../../../features/catalogs/components/catalog-status-badge.tsx";
import { FinalizeCatalogDialog } from "../../../../features/catalogs/components/finalize-catalog-dialog.tsx";
import { controlKeys } from "../../../../features/controls/api/control-keys.ts";
import {
  getCatalogControlsQueryOptions,
  parseControlListQuery,
} from "../../../../features/controls/api/get-catalog-controls.ts";
import { CatalogControls } from "../../../../features/controls/components/catalog-controls.tsx";
import { CatalogPublication } from "../../../../features/registry/components/catalog-publication.tsx";
import { isApiError } from "../../../../lib/api-client.ts";

/** Starts the catalog and its controls in parallel; the page shows its own loading, error and 404 states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params, request }: LoaderFunctionArgs) => {
    const catalogId = params.catalogId ?? "";
    if (!IdSchema.safeParse(catalogId).success) return null;
    const controlsQuery = parseControlListQuery(new URL(request.url).searchParams);
    void queryClient.prefetchQuery(getCatalogQueryOptions(catalogId));
    void queryClient.prefetchQuery(getCatalogControlsQueryOptions(catalogId, controlsQuery));
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
  const catalogQuery = useCatalog(catalogId, { enabled: isValidId });

  if (!isValidId || isApiError(catalogQuery.error, "not_found")) return <CatalogNotFound />;
  if (catalogQuery.isPending) return <PageSpinner label="Loading catalog" />;
  if (catalogQuery.isError) {
    return (
      <>
        <BackToCatalogs />
        <Alert title="The catalog could not be loaded">
          <p>{catalogQuery.error.message}</p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={() => void catalogQuery.refetch()}>
            Try again
          </Button>
        </Alert>
      </>
    );
  }

  const catalog = catalogQuery.data;
  const canFinalize = catalog.status === "draft" && hasRole(user.role, "DEVELOPER");
  return (
    <>
      <title>{`${catalog.name} · STATUS`}</title>
      <BackToCatalogs />
      <PageHeader
        title={catalog.name}
        description={<CatalogStatusBadge status={catalog.status} />}
        actions={
          canFinalize && (
            <FinalizeCatalogDialog
              catalog={catalog}
              // Finalizing a catalog finalizes its controls too.
              onFinalized={() => void queryClient.invalidateQueries({ queryKey: controlKeys.catalogLists(catalog.id) })}
            />
          )
        }
      />
      <CatalogDetails catalog={catalog} />
      <CatalogPublication catalog={catalog} />
      <CatalogControls catalogId={catalog.id} />
    </>
  );
}
