import type { ComplianceResult, Point } from "@status/shared";
import { useMemo } from "react";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import {
  TimeSeriesChart,
  type ChartSeries,
  type ChartTone,
  type ThresholdStep,
} from "@/components/ui/time-series-chart.tsx";
import { formatDate, formatPercent, formatWindow } from "@/lib/format.ts";
import { useControlPoints } from "../api/get-control-points.ts";

const TONES: Record<ComplianceResult, ChartTone> = { pass: "positive", fail: "negative", not_applicable: "none" };

function scopeKey(scope: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(scope).sort(([a], [b]) => a.localeCompare(b)));
}

function scopeLabel(scope: Record<string, unknown>): string {
  const entries = Object.entries(scope).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "All scopes" : entries.map(([name, value]) => `${name} = ${String(value)}`).join(", ");
}

/** One line per scope, in window order. */
function toSeries(points: Point[], timeZone: string | undefined): ChartSeries[] {
  const byScope = new Map<string, ChartSeries>();
  for (const point of points) {
    const key = scopeKey(point.scope);
    let series = byScope.get(key);
    if (!series) {
      series = { id: key, label: scopeLabel(point.scope), points: [] };
      byScope.set(key, series);
    }
    const value = point.result === "not_applicable" ? null : point.value;
    const version = point.controlVersion === null ? "before versions" : `version ${point.controlVersion}`;
    series.points.push({
      id: point.id,
      x: Date.parse(point.windowStart),
      y: value,
      tone: TONES[point.result],
      threshold: point.threshold,
      label: `${formatWindow(point.windowStart, point.windowEnd, timeZone)}: ${
        value === null ? "not applicable" : `${formatPercent(value)}, ${point.result}`
      } against ${formatPercent(point.threshold)} (${version})`,
    });
  }
  return [...byScope.values()];
}

/**
 * Where the threshold changes along the windows: each point was judged against the threshold of its own version,
 * so a later change never redraws the old points against the new threshold.
 */
export function thresholdSteps(points: readonly Point[]): ThresholdStep[] {
  const sorted = [...points].sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart));
  const steps: ThresholdStep[] = [];
  for (const point of sorted) {
    if (steps.at(-1)?.value === point.threshold) continue;
    const x = Date.parse(point.windowStart);
    // Two thresholds in one window (a registry point beside an engine one): the window keeps the first.
    if (steps.at(-1)?.x === x) continue;
    steps.push({ x, value: point.threshold });
  }
  return steps;
}

interface ComplianceTimelineProps {
  controlId: string;
  timeZone?: string | undefined;
}

/** Compliance per closed window (the guarantee points), each against the threshold of its own version. */
export function ComplianceTimeline({ controlId, timeZone }: ComplianceTimelineProps) {
  const pointsQuery = useControlPoints(controlId);
  const series = useMemo(() => toSeries(pointsQuery.data?.items ?? [], timeZone), [pointsQuery.data, timeZone]);
  const steps = useMemo(() => thresholdSteps(pointsQuery.data?.items ?? []), [pointsQuery.data]);

  if (pointsQuery.isPending) return <PageSpinner label="Loading compliance points" />;
  if (pointsQuery.isError) {
    return (
      <LoadError
        title="The compliance points could not be loaded"
        error={pointsQuery.error}
        onRetry={() => void pointsQuery.refetch()}
      />
    );
  }
  const { items, total, totalIsEstimate } = pointsQuery.data;
  if (items.length === 0) {
    return (
      <EmptyState title="No guarantee points yet">
        <p>A point is recorded for each closed window once it has been computed.</p>
      </EmptyState>
    );
  }
  return (
    <div className="space-y-2">
      <TimeSeriesChart
        title={
          steps.length > 1
            ? "Compliance per window, against the threshold of each point's version"
            : `Compliance per window, threshold ${steps[0]?.value ?? 0} %`
        }
        series={series}
        threshold={{
          steps,
          label: steps.length > 1 ? "Threshold of each point's version" : `Threshold ${steps[0]?.value ?? 0} %`,
        }}
        formatX={(x) => formatDate(new Date(x).toISOString(), timeZone)}
        formatY={(y) => `${Number(y.toFixed(1))} %`}
        tableHeadings={{ x: "Window start", y: "Compliance", tone: "Result" }}
        toneLabels={{ positive: "Pass", negative: "Fail", none: "Not applicable" }}
      />
      {total > items.length && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Showing the latest {items.length.toLocaleString()} of {totalIsEstimate ? "about " : ""}
          {total.toLocaleString()} points.
        </p>
      )}
    </div>
  );
}
