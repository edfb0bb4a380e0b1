import { Button } from "./button.tsx";

interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  /** `total` is an estimate (a long list): shown as "about"; a full page may have more after it whatever it says. */
  isTotalEstimate?: boolean;
  /** How many items the page holds (read when the total is an estimate: a full page may have more after it). */
  itemsOnPage?: number;
  onPageChange: (page: number) => void;
}

export function Pagination({
  page,
  pageSize,
  total,
  isTotalEstimate = false,
  itemsOnPage = 0,
  onPageChange,
}: PaginationProps) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = isTotalEstimate ? (page - 1) * pageSize + itemsOnPage : Math.min(page * pageSize, total);
  const about = isTotalEstimate ? "about " : "";
  const hasNext = page < pageCount || (isTotalEstimate && itemsOnPage === pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        {first}–{last} of {about}
        {total.toLocaleString()}
      </p>
      <div className="flex items-center gap-2">
        <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          Previous
        </Button>
        <span className="px-1 text-zinc-600 dark:text-zinc-400">
          Page {page} of {about}
          {Math.max(pageCount, page).toLocaleString()}
        </span>
        <Button variant="secondary" size="sm" disabled={!hasNext} onClick={() => onPageChange(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
