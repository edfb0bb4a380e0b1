import { clsx } from "clsx";
import type { ReactNode } from "react";
import { TableHeaderCell } from "./table.tsx";

interface SortableHeaderProps {
  /** The sort field this column sorts by, e.g. "name"; the sort value is it or "-" + it. */
  field: string;
  /** The current sort value, e.g. "-failedWindows". */
  sort: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  className?: string;
  /** The direction a first click sorts in (dates and counts read best newest / highest first). */
  firstDirection?: "asc" | "desc";
}

/**
 * A column header that sorts the table: a click sorts by the column, a second click reverses it; `aria-sort` tells
 * assistive technology which column sorts and how.
 */
export function SortableHeader({
  field,
  sort,
  onSort,
  children,
  className,
  firstDirection = "asc",
}: SortableHeaderProps) {
  const isActive = sort === field || sort === `-${field}`;
  const isDescending = sort.startsWith("-");
  const next = isActive ? (isDescending ? field : `-${field}`) : firstDirection === "desc" ? `-${field}` : field;
  return (
    <TableHeaderCell className={className} aria-sort={isActive ? (isDescending ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className={clsx(
          "inline-flex items-center gap-1 uppercase hover:underline",
          isActive && "text-zinc-900 dark:text-zinc-100",
        )}
        onClick={() => onSort(next)}
      >
        {children}
        <span aria-hidden="true">{isActive ? (isDescending ? "▼" : "▲") : "↕"}</span>
      </button>
    </TableHeaderCell>
  );
}
