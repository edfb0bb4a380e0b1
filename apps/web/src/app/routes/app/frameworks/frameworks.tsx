import { hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { Link, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getFrameworksQueryOptions, parseFrameworkListQuery } from "@/features/frameworks/api/get-frameworks.ts";
import { getLibraryQueryOptions } from "@/features/frameworks/api/library.ts";
import { FrameworkLibrary } from "@/features/frameworks/components/framework-library.tsx";
import { FrameworksList } from "@/features/frameworks/components/frameworks-list.tsx";

/** Starts the list and the library while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(
      getFrameworksQueryOptions(parseFrameworkListQuery(new URL(request.url).searchParams)),
    );
    void queryClient.prefetchQuery(getLibraryQueryOptions());
    return null;
  };

export function FrameworksRoute() {
  const { user } = useSession();
  const canImport = hasRole(user.role, "DEVELOPER");
  return (
    <>
      <title>Frameworks · STATUS</title>
      <PageHeader
        title="Frameworks"
        description="Versioned sets of requirements (NIST SP 800-53, ISO 27001, SOC 2…) that controls are mapped to."
        actions={
          canImport && (
            <Link to="/frameworks/import" className={buttonVariants()}>
              Import framework
            </Link>
          )
        }
      />
      <div className="space-y-8">
        <FrameworkLibrary canInstall={canImport} />
        <FrameworksList />
      </div>
    </>
  );
}
