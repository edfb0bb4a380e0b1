import type { FrameworkCompliance, StatusCounts } from "@status/shared";
import type { CSSProperties } from "react";

type Segment = "satisfied" | "notSatisfied" | "notAssessed";

/**
 * Colour plus a fill pattern per state (solid, hatched, dotted), so the bars read without colour, and every bar
 * carries its counts as text.
 */
const SEGMENTS: readonly { key: Segment; label: string; className: string; style?: CSSProperties }[] = [
  { key: "satisfied", label: "Satisfied", className: "bg-emerald-600 dark:bg-emerald-500" },
  {
    key: "notSatisfied",
    label: "Not satisfied",
    className: "bg-red-600 dark:bg-red-500",
    style: {
      backgroundImage: "repeating-linear-gradient(45deg, rgb(255 255 255 / 0.45) 0 2px, transparent 2px 6px)",
    },
  },
  {
    key: "notAssessed",
    label: "Not assessed",
    className: "bg-zinc-400 dark:bg-zinc-600",
    style: {
      backgroundImage: "radial-gradient(rgb(255 255 255 / 0.6) 1px, transparent 1.5px)",
      backgroundSize: "5px 5px",
    },
  },
];

function countsText(counts: StatusCounts): string {
  return `${counts.satisfied} satisfied, ${counts.notSatisfied} not satisfied, ${counts.notAssessed} not assessed of ${counts.total}`;
}

function Bar({ title, counts }: { title: string; counts: StatusCounts }) {
  return (
    <li className="grid gap-1 text-sm sm:grid-cols-[minmax(8rem,14rem)_1fr] sm:items-center sm:gap-3">
      <span className="truncate font-medium" title={title}>
        {title}
      </span>
      <div className="space-y-0.5">
        <div className="flex h-4 w-full overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden="true">
          {counts.total > 0 &&
            SEGMENTS.map((segment) =>
              counts[segment.key] > 0 ? (
                <div
                  key={segment.key}
                  className={segment.className}
                  style={{ ...segment.style, width: `${(counts[segment.key] / counts.total) * 100}%` }}
                />
              ) : null,
            )}
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">{countsText(counts)}</p>
      </div>
    </li>
  );
}

/** The roll-up per group as stacked bars (requirements per state), the whole framework first. */
export function ComplianceChart({ compliance }: { compliance: FrameworkCompliance }) {
  return (
    <figure className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-medium">Requirements per state, by group</span>
        <ul aria-label="Legend" className="flex flex-wrap gap-3 text-xs">
          {SEGMENTS.map((segment) => (
            <li key={segment.key} className="flex items-center gap-1.5">
              <span
                aria-hidden="true"
                className={`inline-block size-3 rounded-sm ${segment.className}`}
                style={segment.style}
              />
              {segment.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <ul aria-label="Roll-up per group" className="space-y-2">
        <Bar title="All requirements" counts={compliance.overall} />
        {compliance.groups.map((group) => (
          <Bar key={group.groupId} title={group.title} counts={group.counts} />
        ))}
      </ul>
    </figure>
  );
}
