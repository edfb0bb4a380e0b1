import { hasRole, MashupIdSchema } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useSearchParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getMashupsQueryOptions, useMashups } from "@/features/mashups/api/get-mashups.ts";
import { MASHUPS_PAGE_SIZE, MashupsList } from "@/features/mashups/components/mashups-list.tsx";
import { MashupLimitsForm } from "@/features/mashups/components/mashup-limits-form.tsx";
import { TestMashupForm } from "@/features/mashups/components/test-mashup-form.tsx";
import { API_BASE_URL } from "@/lib/api-client.ts";
import { patchSearchParams } from "@/lib/search-params.ts";

function pageOf(searchParams: URLSearchParams): number {
  const page = Number(searchParams.get("page"));
  return Number.isInteger(page) && page > 1 ? page : 1;
}

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(
      getMashupsQueryOptions({ page: pageOf(new URL(request.url).searchParams), pageSize: MASHUPS_PAGE_SIZE }),
    );
    return null;
  };

/** The mashup under test, named in the URL (`?test=<id>`), looked up in the full list. */
function MashupTestPanel({ mashupId, onClose }: { mashupId: string; onClose: () => void }) {
  const allQuery = useMashups();
  const mashup = allQuery.data?.items.find((candidate) => candidate.id === mashupId);
  return (
    <section
      aria-labelledby="mashup-test-heading"
      className="mb-8 space-y-3 rounded-lg border border-indigo-200 p-4 dark:border-indigo-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="mashup-test-heading" className="text-lg font-semibold">
          Test {mashup?.name ?? mashupId}
        </h2>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Close
        </Button>
      </div>
      {allQuery.isError && <Alert title="The mashups could not be loaded">{allQuery.error.message}</Alert>}
      {allQuery.data && !mashup && (
        <Alert title="No such mashup">Node-RED serves no flow with the id {mashupId}.</Alert>
      )}
      {mashup && <MashupLimitsForm key={`limits-${mashup.id}`} mashupId={mashup.id} />}
      {mashup && <TestMashupForm key={mashup.id} mashup={mashup} />}
    </section>
  );
}

export function MashupsRoute() {
  const { user } = useSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const canDevelop = hasRole(user.role, "DEVELOPER");
  const page = pageOf(searchParams);
  const testId = MashupIdSchema.safeParse(searchParams.get("test")).data;
  const setParams = (changes: Record<string, string | number | undefined>) =>
    setSearchParams((current) => patchSearchParams(current, changes));

  return (
    <>
      <title>Mashups · STATUS</title>
      <PageHeader
        title="Mashups"
        description="The Node-RED flows that collect evidence for controls; a control passes its parameters to one of them."
        actions={
          canDevelop && (
            <a
              href={`${API_BASE_URL}/mashups/editor`}
              target="_blank"
              rel="noopener noreferrer"
              className={clsx(buttonVariants({ variant: "secondary" }))}
            >
              Open the Node-RED editor<span className="sr-only"> (opens in a new tab)</span>
            </a>
          )
        }
      />
      {canDevelop && testId && <MashupTestPanel mashupId={testId} onClose={() => setParams({ test: undefined })} />}
      <MashupsList
        page={page}
        onPageChange={(next) => setParams({ page: next > 1 ? next : undefined })}
        canDevelop={canDevelop}
        onTest={(mashup) => setParams({ test: mashup.id })}
      />
    </>
  );
}
