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
import { getFailuresQueryOptions, useFailures } from "@/features/overview/api/get-failures.ts";
import {
  DEFAULT_FAILURE_SORT,
  FailuresTable,
  FAILURE_SORT_FIELDS,
} from "@/features/overview/components/failures-table.tsx";
import { TimeZoneToggle } from "@/components/ui/time-zone-toggle.tsx";
import type { CatalogCompliance, FailuresQuery } from "@status/shared";
import { NextRuns } from "@/features/overview/components/next-runs.tsx";
import { RecentRuns } from "@/features/runs/components/recent-runs.tsx";
import { patchSearchParams } from "@/lib/search-params.ts";

const DAY_CHOICES = [7, 30, 90, 365] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The period of "Failed in this period": the same days as the chart (UTC days, today included), up to now. */
function failuresQuery(days: number, catalogId: string | null): FailuresQuery {
  const today = new Date();
  const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - (days - 1) * DAY_MS;
  return { from: new Date(from).toISOString(), ...(catalogId ? { catalogId } : {}) };
}

function readFailureParams(searchParams: URLSearchParams) {
  const sort = searchParams.get("sort") ?? DEFAULT_FAILURE_SORT;
  const isKnownSort = (FAILURE_SORT_FIELDS as readonly string[]).includes(sort.replace(/^-/, ""));
  return { sort: isKnownSort ? sort : DEFAULT_FAILURE_SORT, catalogId: searchParams.get("catalog") };
}

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    const searchParams = new URL(request.url).searchParams;
    const query = parseOverviewQuery(searchParams);
    void queryClient.prefetchQuery(getOverviewQueryOptions(query));
    void queryClient.prefetchQuery(
      getFailuresQueryOptions(failuresQuery(query.days, readFailureParams(searchParams).catalogId)),
    );
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

function CatalogPicker({
  catalogs,
  value,
  onChange,
}: {
  catalogs: CatalogCompliance[];
  value: string | null;
  onChange: (catalogId: string | undefined) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="font-medium">Catalog</span>
      <Select className="w-48" value={value ?? ""} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">All catalogs</option>
        {catalogs.map((catalog) => (
          <option key={catalog.catalogId} value={catalog.catalogId}>
            {catalog.catalogName}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** The controls that failed in the period, first thing on the page; sort and catalog live in the URL. */
function FailedInPeriod({ days, catalogs }: { days: number; catalogs: CatalogCompliance[] }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { sort, catalogId } = readFailureParams(searchParams);
  const failures = useFailures(failuresQuery(days, catalogId));
  const patch = (changes: Record<string, string | undefined>) =>
    setSearchParams((current) => patchSearchParams(current, changes), { replace: true });
  // One zone on the screen when the rows share one; otherwise each row names its catalog's.
  const zones = [...new Set(failures.data?.items.map((item) => item.timeZone))];
  const screenZone = zones.length === 1 ? zones[0]! : null;
  return (
    <Panel id="failed-heading" title="Failed in this period">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <CatalogPicker catalogs={catalogs} value={catalogId} onChange={(catalog) => patch({ catalog })} />
        <TimeZoneToggle catalogTimeZone={screenZone} />
      </div>
      {failures.isPending && <PageSpinner label="Loading the failures" />}
      {failures.isError && !failures.data && (
        <LoadError
          title="The failures could not be loaded"
          error={failures.error}
          onRetry={() => void failures.refetch()}
        />
      )}
      {failures.data && (
        <FailuresTable
          items={failures.data.items}
          total={failures.data.total}
          sort={sort}
          onSort={(next) => patch({ sort: next === DEFAULT_FAILURE_SORT ? undefined : next })}
          periodLabel={`the last ${days} days`}
        />
      )}
    </Panel>
  );
}

/**
 * Failures first: the controls that failed in the period lead, then compliance per catalog now and over time, the
 * next scheduled runs and recent runs.
 */
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
        description="What failed first, then compliance at a glance, across every catalog."
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
          <FailedInPeriod days={query.days} catalogs={overviewQuery.data.catalogs} />
          <Panel id="compliance-now-heading" title="Compliance now">
            <CatalogComplianceTable catalogs={overviewQuery.data.catalogs} />
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              Counted in controls: each control is in exactly one state, so the five columns add up to its controls.
            </p>
          </Panel>
          <Panel id="compliance-time-heading" title="Compliance over time">
            <ComplianceOverTime series={overviewQuery.data.series} days={query.days} />
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              Counted in points: one per control, scope and window, by the UTC day the window starts on.
            </p>
          </Panel>
          <div className="grid gap-8 lg:grid-cols-2">
            <Panel id="next-runs-heading" title="Next scheduled runs">
              <NextRuns runs={overviewQuery.data.nextRuns} now={Date.parse(overviewQuery.data.generatedAt)} />
            </Panel>
            <Panel id="recent-runs-heading" title="Recent runs">
              <RecentRuns />
            </Panel>
          </div>
        </div>
      )}
    </>
  );
}
