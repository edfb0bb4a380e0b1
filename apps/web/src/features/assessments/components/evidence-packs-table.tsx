import type { EvidencePack } from "@status/shared";
import { buttonVariants } from "@/components/ui/button.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { SessionDownloadLink } from "@/components/ui/session-download-link.tsx";
import { formatBytes, formatDate, formatDateTime } from "@/lib/format.ts";
import { evidencePackDownloadUrl } from "../api/evidence-packs.ts";
import { Digest } from "./digest.tsx";
import { PackStatusBadge } from "./pack-labels.tsx";

interface EvidencePacksTableProps {
  packs: EvidencePack[];
  timeZone: string;
  /** Who asked for a pack, by user id (null: not known to the viewer). */
  nameOf: (userId: string) => string | null;
}

/** The period's `to` is exclusive (the midnight after its last day); its last day is the one just before. */
function lastInstant(to: string): string {
  return new Date(Date.parse(to) - 1).toISOString();
}

function PackSize({ pack }: { pack: EvidencePack }) {
  const points = pack.pointCount === null ? "—" : `${pack.pointCount.toLocaleString()} points`;
  return (
    <>
      {pack.sizeBytes === null ? "—" : formatBytes(pack.sizeBytes)} · {points}
    </>
  );
}

/** The catalog's packs, newest first: period, status, size, points, who asked and when, digests and the download. */
export function EvidencePacksTable({ packs, timeZone, nameOf }: EvidencePacksTableProps) {
  return (
    <Table aria-label="Evidence packs">
      <TableHead>
        <tr>
          <TableHeaderCell>Period</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">Size</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">Created</TableHeaderCell>
          <TableHeaderCell>SHA-256</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Download</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {packs.map((pack) => {
          const requester = pack.requestedBy === null ? null : (nameOf(pack.requestedBy) ?? "a former user");
          const period = `${formatDate(pack.from, timeZone)} – ${formatDate(lastInstant(pack.to), timeZone)}`;
          const created = `${formatDateTime(pack.createdAt, timeZone)}${requester ? ` by ${requester}` : ""}`;
          return (
            <TableRow key={pack.id}>
              <TableCell className="min-w-36">
                {period}
                {/* Size and creation are columns from lg (1024 px) up; narrower, lines here. */}
                <span className="block text-xs text-zinc-500 lg:hidden dark:text-zinc-400">
                  <PackSize pack={pack} />
                </span>
                <span className="block text-xs text-zinc-500 lg:hidden dark:text-zinc-400">{created}</span>
              </TableCell>
              <TableCell>
                <PackStatusBadge status={pack.status} />
                {pack.status === "failed" && pack.error && (
                  <p className="mt-1 max-w-48 text-xs break-words text-red-800 dark:text-red-300">{pack.error}</p>
                )}
              </TableCell>
              <TableCell className="hidden whitespace-nowrap tabular-nums lg:table-cell">
                <PackSize pack={pack} />
              </TableCell>
              <TableCell className="hidden min-w-40 lg:table-cell">{created}</TableCell>
              <TableCell>
                {pack.sha256 === null ? (
                  <span className="text-zinc-400">—</span>
                ) : (
                  <div className="space-y-1">
                    <Digest label="ZIP" value={pack.sha256} />
                    <Digest label="Manifest" value={pack.manifestSha256} />
                  </div>
                )}
              </TableCell>
              <TableCell className="text-right">
                {pack.status === "done" && (
                  <SessionDownloadLink
                    href={evidencePackDownloadUrl(pack.id)}
                    download
                    className={buttonVariants({ variant: "secondary", size: "sm" })}
                    aria-label={`Download the pack of ${period}`}
                  >
                    Download
                  </SessionDownloadLink>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
