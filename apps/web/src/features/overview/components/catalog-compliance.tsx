import type { CatalogCompliance } from "@status/shared";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge.tsx";
import { ProgressBar } from "@/components/ui/progress-bar.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatPercent } from "@/lib/format.ts";

/**
 * Each catalog's compliance now, counted in controls: passing, failing, stale (no recent point: never passing), not
 * yet evaluated and not applicable add up to its controls; compliance is the share of passing among passing, failing
 * and stale.
 */
export function CatalogComplianceTable({ catalogs }: { catalogs: CatalogCompliance[] }) {
  return (
    <Table aria-label="Compliance per catalog">
      <TableHead>
        <tr>
          <TableHeaderCell>Catalog</TableHeaderCell>
          <TableHeaderCell className="w-48">Compliance now</TableHeaderCell>
          <TableHeaderCell className="text-right">Passing</TableHeaderCell>
          <TableHeaderCell className="text-right">Failing</TableHeaderCell>
          <TableHeaderCell className="text-right">Stale</TableHeaderCell>
          <TableHeaderCell className="text-right">Not evaluated</TableHeaderCell>
          <TableHeaderCell className="text-right">N/A</TableHeaderCell>
          <TableHeaderCell className="text-right">Controls</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {catalogs.map((catalog) => (
          <TableRow key={catalog.catalogId}>
            <TableCell>
              <Link
                to={`/catalogs/${catalog.catalogId}`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {catalog.catalogName}
              </Link>
              {catalog.status === "draft" && (
                <span className="ml-2">
                  <Badge tone="warning">Draft</Badge>
                </span>
              )}
            </TableCell>
            <TableCell>
              {catalog.compliance === null ? (
                <span className="text-zinc-400">Not evaluated</span>
              ) : (
                <div className="flex items-center gap-2">
                  <div className="w-24">
                    <ProgressBar
                      value={catalog.compliance / 100}
                      label={`Compliance of ${catalog.catalogName}`}
                      tone={catalog.failing > 0 || catalog.stale > 0 ? "danger" : "success"}
                    />
                  </div>
                  <span className="whitespace-nowrap tabular-nums">{formatPercent(catalog.compliance)}</span>
                </div>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{catalog.passing}</TableCell>
            <TableCell
              className={
                catalog.failing > 0
                  ? "text-right font-medium text-red-700 tabular-nums dark:text-red-300"
                  : "text-right tabular-nums"
              }
            >
              {catalog.failing}
            </TableCell>
            <TableCell
              className={
                catalog.stale > 0
                  ? "text-right font-medium text-amber-700 tabular-nums dark:text-amber-300"
                  : "text-right tabular-nums"
              }
            >
              {catalog.stale}
            </TableCell>
            <TableCell className="text-right tabular-nums">{catalog.notEvaluated}</TableCell>
            <TableCell className="text-right tabular-nums">{catalog.notApplicable}</TableCell>
            <TableCell className="text-right tabular-nums">{catalog.controlCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
