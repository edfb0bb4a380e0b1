import type { OverviewQuery } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useSearchParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Select } from "@/components/ui/input.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { getOverviewQueryOptions, parseOverviewQuery, useOverview } from "@/features/overview/api/get-overview.ts";
import { CatalogComplianceTable } from "@/features/overview/components/catalog-compliance.tsx";
import { ComplianceOverTime } from "@/features/overview/components/compliance-over-time.tsx";
import { FailingControls } from "@/features/overview/components/failing-controls.tsx";
import { NextRuns } from "@/features/overview/components/next-runs.tsx";
import { RecentRuns } from "@/features/runs/components/recent-runs.tsx";
import { patchSearchParams } from "@/lib/search-params.ts";

const DAY_CHOICES = [7, 30, 90, 365] as const;

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(getOverviewQueryOptions(parseOverviewQuery(new URL(request.url).searchParams)));
    return null;
  };

function Panel({
  id,
  title,
  children,
  className,
}: {
  id: string;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={id} className={className}>
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function DaysPicker({ query, onChange }: { query: OverviewQuery; onChange: (days: number) => void }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="font-medium">History</span>
      <Select className="w-36" value={String(query.days)} onChange={(event) => onChange(Number(event.target.value))}>
        {DAY_CHOICES.map((days) => (
          <option key={days} value={days}>
            Last {days} days
          </option>
        ))}
        {!DAY_CHOICES.includes(query.days as (typeof DAY_CHOICES)[number]) && (
          <option value={query.days}>Last {query.days} days</option>
        )}
      </Select>
    </label>
  );
}

/** Compliance at a glance: per catalog now and over time, failing controls, recent runs and the next scheduled runs. */
export function OverviewRoute() {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = parseOverviewQuery(searchParams);
  const overviewQuery = useOverview(query);
  const setDays = (days: number) =>
    setSearchParams((current) => patchSearchParams(current, { days: days === 30 ? undefined : days }), {
      replace: true,
    });

  return (
    <>
      <title>Overview · STATUS</title>
      <PageHeader
        title="Overview"
        description="Compliance at a glance, across every catalog."
        actions={<DaysPicker query={query} onChange={setDays} />}
      />
      {overviewQuery.isPending && <PageSpinner label="Loading the overview" />}
      {overviewQuery.isError && !overviewQuery.data && (
        <LoadError
          title="The overview could not be loaded"
          error={overviewQuery.error}
          onRetry={() => void overviewQuery.refetch()}
        />
      )}
      {overviewQuery.data && overviewQuery.data.catalogs.length === 0 && (
        <EmptyState title="No catalogs yet">
          <p>
            Start by creating a catalog on the{" "}
            <Link to="/catalogs" className="text-indigo-700 underline dark:text-indigo-300">
              Catalogs
            </Link>{" "}
            page.
          </p>
        </EmptyState>
      )}
      {overviewQuery.data && overviewQuery.data.catalogs.length > 0 && (
        <div className="space-y-8" aria-busy={overviewQuery.isPlaceholderData}>
          <Panel id="compliance-now-heading" title="Compliance now">
            <CatalogComplianceTable catalogs={overviewQuery.data.catalogs} />
          </Panel>
          <Panel id="compliance-time-heading" title="Compliance over time">
            <ComplianceOverTime series={overviewQuery.data.series} days={query.days} />
          </Panel>
          <div className="grid gap-8 lg:grid-cols-2">
            <Panel id="failing-heading" title="Failing controls">
              <FailingControls controls={overviewQuery.data.failingControls} total={overviewQuery.data.failingTotal} />
            </Panel>
            <Panel id="next-runs-heading" title="Next scheduled runs">
              <NextRuns runs={overviewQuery.data.nextRuns} now={Date.parse(overviewQuery.data.generatedAt)} />
            </Panel>
          </div>
          <Panel id="recent-runs-heading" title="Recent runs">
            <RecentRuns />
          </Panel>
        </div>
      )}
    </>
  );
}
