import type { QueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { getMyControlsQueryOptions, useMyControls } from "@/features/handling/api/get-my-controls.ts";
import { MyControlsTable } from "@/features/handling/components/my-controls-table.tsx";

/** Starts the list request while the page renders. */
export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getMyControlsQueryOptions());
  return null;
};

export function MyControlsRoute() {
  const query = useMyControls();
  return (
    <>
      <title>My controls · STATUS</title>
      <PageHeader
        title="My controls"
        description="The controls you own or watch, with their state now and the failures nobody has handled yet."
      />
      {query.isPending && <PageSpinner label="Loading your controls" />}
      {query.isError && (
        <LoadError title="Your controls could not be loaded" error={query.error} onRetry={() => void query.refetch()} />
      )}
      {query.data?.length === 0 && (
        <EmptyState title="You own and watch no control yet">
          Open a control from the <Link to="/catalogs">catalogs</Link> and choose Watch, or ask a developer to make you
          its owner.
        </EmptyState>
      )}
      {query.data && query.data.length > 0 && <MyControlsTable controls={query.data} />}
    </>
  );
}
