import {
  AuditActionSchema,
  AuditListQuerySchema,
  AuditResourceSchema,
  IdSchema,
  type AuditEntry,
  type AuditListQuery,
} from "@status/shared";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { Input } from "@/components/ui/input.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useAudit } from "../api/get-audit.ts";

/** The audit trail, newest first, filtered by what the URL holds. */
export function AuditLog() {
  const { query, update } = useListParams(AuditListQuerySchema);
  const auditQuery = useAudit(query);
  const isFiltered = Boolean(
    query.actorId || query.resourceType || query.action || query.from || query.to || query.page > 1,
  );

  return (
    <section aria-label="Audit log">
      <AuditToolbar query={query} onChange={update} />
      <PagedList
        query={auditQuery}
        loadingLabel="Loading the audit log"
        errorTitle="The audit log could not be loaded"
        empty={{
          title: isFiltered ? "No entries match these filters" : "No audit entries yet",
          body: isFiltered && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                update({
                  actorId: undefined,
                  resourceType: undefined,
                  action: undefined,
                  from: undefined,
                  to: undefined,
                  page: 1,
                })
              }
            >
              Clear filters
            </Button>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(entries, isUpdating) => (
          <AuditTable entries={entries} isUpdating={isUpdating} onActor={(actorId) => update({ actorId })} />
        )}
      </PagedList>
    </section>
  );
}

/** An ISO instant as a datetime-local value in the viewer's time zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (the viewer's wall clock) as an ISO instant; blank or invalid is no filter. */
function fromLocalInput(value: string): string | undefined {
  const time = new Date(value).getTime();
  return value && Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

function AuditToolbar({
  query,
  onChange,
}: {
  query: AuditListQuery;
  onChange: (changes: Partial<AuditListQuery>) => void;
}) {
  const [actorText, setActorText] = useState(query.actorId ?? "");
  const [shownActor, setShownActor] = useState(query.actorId);
  if (query.actorId !== shownActor) {
    setShownActor(query.actorId);
    setActorText(query.actorId ?? "");
  }
  const actorError = actorText.trim() !== "" && !IdSchema.safeParse(actorText.trim()).success;
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Actor ID</span>
        <Input
          className="w-80 font-mono"
          placeholder="User id (UUID)"
          value={actorText}
          aria-invalid={actorError}
          onChange={(event) => {
            const text = event.target.value;
            setActorText(text);
            const id = IdSchema.safeParse(text.trim()).data;
            if (text.trim() === "" || id) onChange({ actorId: id });
          }}
        />
      </label>
      <SelectFilter
        label="Resource"
        value={query.resourceType}
        anyLabel="All resources"
        options={enumOptions(AuditResourceSchema.options)}
        onChange={(resourceType) => onChange({ resourceType })}
        className="w-40"
      />
      <SelectFilter
        label="Action"
        value={query.action}
        anyLabel="All actions"
        options={enumOptions(AuditActionSchema.options)}
        onChange={(action) => onChange({ action })}
        className="w-36"
      />
      <label className="block text-sm">
        <span className="mb-1 block font-medium">From</span>
        <Input
          type="datetime-local"
          value={toLocalInput(query.from)}
          onChange={(event) => onChange({ from: fromLocalInput(event.target.value) })}
        />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">To</span>
        <Input
          type="datetime-local"
          value={toLocalInput(query.to)}
          onChange={(event) => onChange({ to: fromLocalInput(event.target.value) })}
        />
      </label>
    </div>
  );
}

const ACTION_TONES = {
  create: "success",
  update: "info",
  delete: "danger",
  login: "neutral",
  revoke: "warning",
  archive: "warning",
  restore: "info",
} as const;

function AuditTable({
  entries,
  isUpdating,
  onActor,
}: {
  entries: AuditEntry[];
  isUpdating: boolean;
  onActor: (actorId: string) => void;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>
            <span className="sr-only">Details</span>
          </TableHeaderCell>
          <TableHeaderCell>When</TableHeaderCell>
          <TableHeaderCell>Actor</TableHeaderCell>
          <TableHeaderCell>Action</TableHeaderCell>
          <TableHeaderCell>Resource</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {entries.map((entry) => {
          const isExpanded = expanded.has(entry.id);
          const detailsId = `audit-${entry.id}`;
          return (
            <Fragment key={entry.id}>
              <TableRow>
                <TableCell className="w-10">
                  <Button
                    variant="ghost"
                    size="sm"
                    className="px-2"
                    aria-expanded={isExpanded}
                    aria-controls={detailsId}
                    aria-label={isExpanded ? "Hide changes" : "Show changes"}
                    onClick={() => toggle(entry.id)}
                  >
                    <span aria-hidden="true">{isExpanded ? "▾" : "▸"}</span>
                  </Button>
                </TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(entry.at)}</TableCell>
                <TableCell>
                  {entry.actorId ? (
                    <button
                      type="button"
                      className="text-indigo-700 hover:underline dark:text-indigo-300"
                      title="Show only this actor's changes"
                      onClick={() => entry.actorId && onActor(entry.actorId)}
                    >
                      {entry.actorName ?? entry.actorId}
                    </button>
                  ) : (
                    (entry.actorName ?? "System")
                  )}
                  {entry.tokenId && (
                    <span className="ml-2" title={tokenSummary(entry)}>
                      <Badge tone="neutral">API token</Badge>
                    </span>
                  )}
                </TableCell>
                <TableCell>
                  <Badge tone={ACTION_TONES[entry.action]}>{entry.action}</Badge>
                </TableCell>
                <TableCell>
                  <span className="font-medium">{entry.resourceType}</span>
                  {entry.resourceId && (
                    <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{entry.resourceId}</span>
                  )}
                </TableCell>
              </TableRow>
              {isExpanded && (
                <tr id={detailsId}>
                  <td colSpan={5} className="bg-zinc-50 px-4 py-3 dark:bg-zinc-950">
                    <div className="grid gap-4 md:grid-cols-2">
                      <JsonPanel title="Before" value={entry.before} />
                      <JsonPanel title="After" value={entry.after} />
                    </div>
                    {entry.tokenId && (
                      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">{tokenSummary(entry)}</p>
                    )}
                    {entry.requestId && (
                      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Request {entry.requestId}</p>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Which personal API token made a change, and what it was allowed to do then (null scopes: the user's full access). */
function tokenSummary(entry: AuditEntry): string {
  const scopes = entry.tokenScopes ? `scopes ${entry.tokenScopes.join(", ")}` : "full access of its user";
  return `Made with API token ${entry.tokenId} (${scopes})`;
}

function JsonPanel({ title, value }: { title: string; value: unknown }) {
  return (
    <section aria-label={title}>
      <h3 className="mb-1 text-xs font-medium text-zinc-600 uppercase dark:text-zinc-400">{title}</h3>
      <pre className="max-h-96 overflow-auto rounded-md border border-zinc-200 bg-white p-3 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:border-zinc-800 dark:bg-zinc-900">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </section>
  );
}
