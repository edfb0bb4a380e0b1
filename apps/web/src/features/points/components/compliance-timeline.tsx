import type { ComplianceResult, Point } from "@status/shared";
import { useMemo } from "react";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { TimeSeriesChart, type ChartSeries, type ChartTone } from "@/components/ui/time-series-chart.tsx";
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
    series.points.push({
      id: point.id,
      x: Date.parse(point.windowStart),
      y: value,
      tone: TONES[point.result],
      label: `${formatWindow(point.windowStart, point.windowEnd, timeZone)}: ${
        value === null ? "not applicable" : `${formatPercent(value)}, ${point.result}`
      }`,
    });
  }
  return [...byScope.values()];
}

interface ComplianceTimelineProps {
  controlId: string;
  threshold: number;
  timeZone?: string | undefined;
}

/** Compliance per closed window (the guarantee points) against the control's threshold. */
export function ComplianceTimeline({ controlId, threshold, timeZone }: ComplianceTimelineProps) {
  const pointsQuery = useControlPoints(controlId);
  const series = useMemo(() => toSeries(pointsQuery.data?.items ?? [], timeZone), [pointsQuery.data, timeZone]);

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
  const { items, total } = pointsQuery.data;
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
        title={`Compliance per window, threshold ${threshold} %`}
        series={series}
        threshold={{ value: threshold, label: `Threshold ${threshold} %` }}
        formatX={(x) => formatDate(new Date(x).toISOString(), timeZone)}
        formatY={(y) => `${Number(y.toFixed(1))} %`}
        tableHeadings={{ x: "Window start", y: "Compliance", tone: "Result" }}
        toneLabels={{ positive: "Pass", negative: "Fail", none: "Not applicable" }}
      />
      {total > items.length && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Showing the latest {items.length.toLocaleString()} of {total.toLocaleString()} points.
        </p>
      )}
    </div>
  );
}
