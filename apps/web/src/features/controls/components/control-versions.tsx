import type { ControlVersion } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useControlVersions } from "../api/get-control-versions.ts";
import { PERIOD_LABELS } from "../utils/periods.ts";
import { describeVersionChange } from "../utils/version-changes.ts";

function effectiveSpan(version: ControlVersion, timeZone: string | undefined): string {
  if (version.isSupersededBeforeEffect) return "Superseded before it took effect: no window is evaluated under it";
  const from = version.effectiveFrom
    ? `From the window starting ${formatDateTime(version.effectiveFrom, timeZone)}`
    : "From the control's first window";
  return version.effectiveUntil
    ? `${from} until ${formatDateTime(version.effectiveUntil, timeZone)}`
    : `${from} onwards`;
}

function VersionEntry({ version, timeZone }: { version: ControlVersion; timeZone?: string | undefined }) {
  const changes = version.changes.flatMap(describeVersionChange);
  return (
    <li className="space-y-2 px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold">Version {version.version}</h3>
        {version.isCurrent && <Badge tone="success">Current</Badge>}
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {PERIOD_LABELS[version.period]}, threshold {version.threshold} %, mashup <code>{version.mashupId}</code> ·{" "}
          {version.pointCount.toLocaleString()} {version.pointCount === 1 ? "point" : "points"}
        </span>
      </div>
      <p className="text-sm">{effectiveSpan(version, timeZone)}.</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        {version.createdByName ?? "STATUS (on upgrade)"} on {formatDateTime(version.createdAt)}:{" "}
        <q className="whitespace-pre-line">{version.reason}</q>
      </p>
      {changes.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-sm" aria-label={`Changes in version ${version.version}`}>
          {changes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The control's versions, newest first: what decided its results from which window, who changed it, when and why. */
export function ControlVersions({ controlId, timeZone }: { controlId: string; timeZone?: string | undefined }) {
  const versionsQuery = useControlVersions(controlId);
  return (
    <section aria-labelledby="control-versions-heading" className="space-y-3">
      <h2 id="control-versions-heading" className="text-lg font-semibold">
        Version history
      </h2>
      {versionsQuery.isPending ? (
        <PageSpinner label="Loading versions" />
      ) : versionsQuery.isError ? (
        <LoadError
          title="The version history could not be loaded"
          error={versionsQuery.error}
          onRetry={() => void versionsQuery.refetch()}
        />
      ) : versionsQuery.data.items.length === 0 ? (
        <EmptyState title="No versions yet">
          <p>
            A draft changes freely. Finalizing records version 1; each later change of what decides results adds one.
          </p>
        </EmptyState>
      ) : (
        <ol className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {versionsQuery.data.items.map((version) => (
            <VersionEntry key={version.version} version={version} timeZone={timeZone} />
          ))}
        </ol>
      )}
    </section>
  );
}
