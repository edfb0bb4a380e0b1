import type { ReactNode } from "react";
import { EmptyState } from "./empty-state.tsx";
import { LoadError } from "./load-error.tsx";
import { Pagination } from "./pagination.tsx";
import { PageSpinner } from "./spinner.tsx";

/** One page of a list, as every list endpoint answers it. */
export interface ListPage<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  /** Long lists count exactly only up to a cap; past it `total` is the database's estimate. */
  totalIsEstimate?: boolean;
}

/** What the shell reads of the query for a page; `useQuery`'s result is one. */
export interface PageQuery<T> {
  data: ListPage<T> | undefined;
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  isPlaceholderData: boolean;
  refetch: () => unknown;
}

interface PagedListProps<T> {
  query: PageQuery<T>;
  /** E.g. "Loading catalogs". */
  loadingLabel: string;
  /** E.g. "The catalogs could not be loaded". */
  errorTitle: string;
  /** The list's own words when a page is empty, and what to do about it (e.g. a "Clear filters" button). */
  empty: { title: string; body?: ReactNode };
  onPageChange: (page: number) => void;
  /** Leave out the pagination while everything fits on one page; by default it always shows the count. */
  isPaginationHiddenOnOnePage?: boolean;
  /** Renders the page's items; `isUpdating` while the next page loads behind them. */
  children: (items: T[], isUpdating: boolean) => ReactNode;
}

/**
 * The states of a paginated list: a spinner for the first load, the error with a retry, the list's empty state, or
 * the items with the pagination below them. The previous page stays on screen while the next one loads.
 */
export function PagedList<T>({
  query,
  loadingLabel,
  errorTitle,
  empty,
  onPageChange,
  isPaginationHiddenOnOnePage = false,
  children,
}: PagedListProps<T>) {
  if (query.isPending) return <PageSpinner label={loadingLabel} />;
  if (!query.data) {
    if (!query.isError || !query.error) return null;
    return <LoadError title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  }
  const { items, page, pageSize, total, totalIsEstimate = false } = query.data;
  if (items.length === 0) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  const hasPagination = !isPaginationHiddenOnOnePage || total > pageSize;
  return (
    <div className="space-y-4">
      {children(items, query.isPlaceholderData)}
      {hasPagination && (
        <Pagination
          page={page}
          pageSize={pageSize}
          total={total}
          isTotalEstimate={totalIsEstimate}
          itemsOnPage={items.length}
          onPageChange={onPageChange}
        />
      )}
    </div>
  );
}
