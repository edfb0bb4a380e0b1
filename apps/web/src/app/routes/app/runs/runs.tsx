import type { QueryClient } from "@tanstack/react-query";
import type { LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { controlPath } from "@/features/controls/utils/control-path.ts";
import { getRunsQueryOptions, parseRunListQuery } from "@/features/runs/api/get-runs.ts";
import { RunsList } from "@/features/runs/components/runs-list.tsx";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(getRunsQueryOptions(parseRunListQuery(new URL(request.url).searchParams)));
    return null;
  };

export function RunsRoute() {
  return (
    <>
      <title>Runs · STATUS</title>
      <PageHeader
        title="Runs"
        description="Computations of controls over their time windows: by hand, on schedule or for a past range."
      />
      <RunsList controlHref={(run) => controlPath(run.catalogId, run.controlId)} />
    </>
  );
}
