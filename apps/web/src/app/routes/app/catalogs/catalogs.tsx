import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { Link, useNavigate, type LoaderFunctionArgs } from "react-router";
import { buttonVariants } from "@/components/ui/button.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getCatalogsQueryOptions, parseCatalogListQuery } from "@/features/catalogs/api/get-catalogs.ts";
import { CatalogsList } from "@/features/catalogs/components/catalogs-list.tsx";
import { catalogPath } from "@/features/catalogs/components/catalogs-table.tsx";
import { CreateCatalogDialog } from "@/features/catalogs/components/create-catalog-dialog.tsx";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    const query = parseCatalogListQuery(new URL(request.url).searchParams);
    void queryClient.prefetchQuery(getCatalogsQueryOptions(query));
    return null;
  };

export function CatalogsRoute() {
  const { user } = useSession();
  const navigate = useNavigate();
  const canCreate = hasRole(user.role, "DEVELOPER");
  return (
    <>
      <title>Catalogs · STATUS</title>
      <PageHeader
        title="Catalogs"
        description="Sets of controls evaluated over a period, each in its own time zone."
        actions={
          canCreate && (
            <>
              <Link to="/catalogs/new" className={buttonVariants({ variant: "secondary" })}>
                Catalog wizard
              </Link>
              <CreateCatalogDialog onCreated={(catalog) => void navigate(catalogPath(catalog.id))} />
            </>
          )
        }
      />
      <CatalogsList />
    </>
  );
}
