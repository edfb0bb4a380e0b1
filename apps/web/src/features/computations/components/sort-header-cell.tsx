import { TableHeaderCell } from "@/components/ui/table.tsx";

interface SortHeaderCellProps<Field extends string> {
  field: Field;
  label: string;
  /** The list's sort, e.g. `-windowStart`. */
  sort: string;
  /** The sort a first click applies (`field` or `-field`). */
  firstSort?: `-${Field}` | Field;
  onSort: (sort: string) => void;
  className?: string;
}

/** A column header that sorts the list by its field; a second click reverses the order. */
export function SortHeaderCell<Field extends string>({
  field,
  label,
  sort,
  firstSort = field,
  onSort,
  className,
}: SortHeaderCellProps<Field>) {
  const isActive = sort === field || sort === `-${field}`;
  const isDescending = sort.startsWith("-");
  const next = isActive ? (isDescending ? field : `-${field}`) : firstSort;
  const ariaSort = !isActive ? "none" : isDescending ? "descending" : "ascending";
  return (
    <TableHeaderCell aria-sort={ariaSort} className={className}>
      <button
        type="button"
        onClick={() => onSort(next)}
        className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        {label}
        <span aria-hidden="true" className={isActive ? undefined : "opacity-30"}>
          {isActive && !isDescending ? "▲" : "▼"}
        </span>
      </button>
    </TableHeaderCell>
  );
}
