import type { Catalog } from "@status/shared";
import type { MouseEvent } from "react";
import { Link, useNavigate } from "react-router";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDate, formatDateTime } from "@/lib/format.ts";
import { Badge } from "@/components/ui/badge.tsx";
import { CatalogStatusBadge } from "./catalog-status-badge.tsx";

export function catalogPath(catalogId: string): string {
  return `/catalogs/${catalogId}`;
}

export function CatalogsTable({ catalogs, isUpdating }: { catalogs: Catalog[]; isUpdating: boolean }) {
  const navigate = useNavigate();
  // The name is the keyboard-accessible link; clicking anywhere else on the row is a mouse shortcut to it.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, catalogId: string) => {
    if ((event.target as HTMLElement).closest("a, button")) return;
    void navigate(catalogPath(catalogId));
  };
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell className="text-right">Controls</TableHeaderCell>
          <TableHeaderCell>Dates</TableHeaderCell>
          <TableHeaderCell>Updated</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {catalogs.map((catalog) => (
          <TableRow key={catalog.id} className="cursor-pointer" onClick={(event) => openRow(event, catalog.id)}>
            <TableCell className="max-w-xs">
              <Link
                to={catalogPath(catalog.id)}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {catalog.name}
              </Link>
              {catalog.description && (
                <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400">{catalog.description}</p>
              )}
            </TableCell>
            <TableCell>
              <span className="inline-flex flex-wrap gap-1">
                <CatalogStatusBadge status={catalog.status} />
                {catalog.archive && <Badge tone="neutral">Archived</Badge>}
              </span>
            </TableCell>
            <TableCell className="text-right tabular-nums">{catalog.controlCount}</TableCell>
            <TableCell className="whitespace-nowrap">
              {formatDate(catalog.startDate, catalog.timeZone)} – {formatDate(catalog.endDate, catalog.timeZone)}
            </TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(catalog.updatedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
