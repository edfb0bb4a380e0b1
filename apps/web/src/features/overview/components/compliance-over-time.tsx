import type { ComplianceSeries } from "@status/shared";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { TimeSeriesChart, type ChartSeries } from "@/components/ui/time-series-chart.tsx";
import { formatDate, formatPercent } from "@/lib/format.ts";

const TONE_LABELS = {
  positive: "Every point passed",
  negative: "Some points failed",
  none: "Nothing evaluated",
} as const;

function toChartSeries(series: ComplianceSeries[]): ChartSeries[] {
  return series.map((catalog) => ({
    id: catalog.catalogId,
    label: catalog.catalogName,
    points: catalog.days.map((day) => ({
      id: `${catalog.catalogId}-${day.day}`,
      x: Date.parse(day.day),
      y: day.compliance,
      tone: day.compliance === null ? "none" : day.compliance >= 100 ? "positive" : "negative",
      label: `${catalog.catalogName}, ${formatDate(day.day, "UTC")}: ${formatPercent(day.compliance)} of ${day.points} points`,
    })),
  }));
}

/** One line per catalog: the share of passing points per day (the UTC day their windows start on). */
export function ComplianceOverTime({ series, days }: { series: ComplianceSeries[]; days: number }) {
  const lines = toChartSeries(series.filter((catalog) => catalog.days.length > 0));
  if (lines.length === 0) {
    return (
      <EmptyState title={`No points in the last ${days} days`}>
        Run a control, or wait for the scheduler, to see compliance over time.
      </EmptyState>
    );
  }
  return (
    <TimeSeriesChart
      title={`Compliance per catalog and day, last ${days} days`}
      series={lines}
      formatX={(x) => formatDate(new Date(x).toISOString(), "UTC")}
      formatY={(y) => `${y} %`}
      tableHeadings={{ x: "Day", y: "Compliance", tone: "Points" }}
      toneLabels={TONE_LABELS}
    />
  );
}
