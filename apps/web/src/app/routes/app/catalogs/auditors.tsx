import { IdSchema } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { Link, useParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { AuditorExport } from "@/features/assessments/components/auditor-export.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getCatalogQueryOptions, useCatalog } from "@/features/catalogs/api/get-catalog.ts";
import { usePeople } from "@/features/handling/api/get-people.ts";
import { isApiError } from "@/lib/api-client.ts";

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    const catalogId = params.catalogId ?? "";
    if (IdSchema.safeParse(catalogId).success) void queryClient.prefetchQuery(getCatalogQueryOptions(catalogId));
    return null;
  };

function BackLink({ catalogId }: { catalogId: string }) {
  return (
    <Link
      to={`/catalogs/${catalogId}`}
      className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300"
    >
      ← Back to the catalog
    </Link>
  );
}

/** "Export for auditors": a catalog's evidence packs, OSCAL documents, period report and signing key. */
export function AuditorsRoute() {
  const { catalogId = "" } = useParams();
  const isValidId = IdSchema.safeParse(catalogId).success;
  const { user } = useSession();
  const catalogQuery = useCatalog(catalogId, { enabled: isValidId });
  // Names for "created by"; the API lists at most 50 people, the rest show as unknown.
  const peopleQuery = usePeople("");
  const people = peopleQuery.data;
  const nameOf = useCallback(
    (userId: string) => {
      if (userId === user.id) return "you";
      const person = people?.find((candidate) => candidate.id === userId);
      return person ? (person.displayName ?? person.username) : null;
    },
    [people, user.id],
  );

  if (!isValidId || isApiError(catalogQuery.error, "not_found"))
    return (
      <>
        <title>Catalog not found · STATUS</title>
        <PageHeader title="Catalog not found" description="It may have been deleted, or the address is wrong." />
      </>
    );
  if (catalogQuery.isPending) return <PageSpinner label="Loading catalog" />;
  if (catalogQuery.isError)
    return (
      <LoadError
        title="The catalog could not be loaded"
        error={catalogQuery.error}
        onRetry={() => void catalogQuery.refetch()}
      />
    );
  const catalog = catalogQuery.data;
  return (
    <>
      <title>{`Export for auditors · ${catalog.name} · STATUS`}</title>
      <BackLink catalogId={catalog.id} />
      <PageHeader title="Export for auditors" description={catalog.name} />
      <AuditorExport catalog={catalog} role={user.role} nameOf={nameOf} />
    </>
  );
}
