import { clsx } from "clsx";
import { useId } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "./table.tsx";

/**
 * positive and negative are filled markers (green, red); none is a hollow marker on the baseline and a gap in the line.
 */
export type ChartTone = "positive" | "negative" | "none";

export interface ChartPoint {
  id: string;
  /** Epoch milliseconds. */
  x: number;
  /** Null leaves a gap in the line. */
  y: number | null;
  tone: ChartTone;
  /** What the marker's tooltip and the data table say about this point. */
  label: string;
  /** The reference this point was judged against, when points have their own (the data table shows differing ones). */
  threshold?: number;
}

/** A reference level from `x` on, until the next step; the first step holds from the left edge. */
export interface ThresholdStep {
  x: number;
  value: number;
}

export interface ChartSeries {
  id: string;
  label: string;
  points: ChartPoint[];
}

interface TimeSeriesChartProps {
  title: string;
  series: ChartSeries[];
  /** A dashed reference line: one level, or steps where it changed (each point against its own). */
  threshold?: { label: string } & ({ value: number } | { steps: ThresholdStep[] });
  yMax?: number;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** Column headings of the data table that stands in for the chart. */
  tableHeadings?: { x: string; y: string; tone: string };
  toneLabels?: Record<ChartTone, string>;
}

const WIDTH = 800;
const HEIGHT = 220;
const PAD = { top: 12, right: 16, bottom: 28, left: 44 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
const Y_TICKS = 4;

const SERIES_STROKES = [
  "stroke-indigo-500 dark:stroke-indigo-400",
  "stroke-sky-500 dark:stroke-sky-400",
  "stroke-violet-500 dark:stroke-violet-400",
  "stroke-amber-500 dark:stroke-amber-400",
  "stroke-teal-500 dark:stroke-teal-400",
] as const;

const MARKER_CLASSES: Record<ChartTone, string> = {
  positive: "fill-emerald-500 stroke-white dark:stroke-zinc-900",
  negative: "fill-red-500 stroke-white dark:stroke-zinc-900",
  none: "fill-white stroke-zinc-400 dark:fill-zinc-900 dark:stroke-zinc-500",
};

const DEFAULT_TONE_LABELS: Record<ChartTone, string> = { positive: "Pass", negative: "Fail", none: "Not applicable" };

/** Splits a series into runs of consecutive points with a value, so missing values show as gaps. */
function segments(points: ChartPoint[]): ChartPoint[][] {
  const result: ChartPoint[][] = [];
  let current: ChartPoint[] = [];
  for (const point of points) {
    if (point.y === null) {
      if (current.length > 0) result.push(current);
      current = [];
    } else {
      current.push(point);
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * The reference line's vertices: flat at one level, or a step at each change, halfway between the last window judged
 * against the old level and the first judged against the new one.
 */
function thresholdPoints(
  threshold: NonNullable<TimeSeriesChartProps["threshold"]>,
  xs: number[],
  scaleX: (x: number) => number,
  scaleY: (y: number) => number,
): string {
  const steps = "steps" in threshold ? threshold.steps : [{ x: xs[0] ?? 0, value: threshold.value }];
  if (steps.length === 0) return "";
  const vertices: [number, number][] = [[PAD.left, scaleY(steps[0]!.value)]];
  steps.slice(1).forEach((step, index) => {
    const before = xs.filter((x) => x < step.x).at(-1) ?? step.x;
    const at = (scaleX(before) + scaleX(step.x)) / 2;
    vertices.push([at, scaleY(steps[index]!.value)], [at, scaleY(step.value)]);
  });
  vertices.push([WIDTH - PAD.right, scaleY(steps.at(-1)!.value)]);
  return vertices.map(([x, y]) => `${x},${y}`).join(" ");
}

/**
 * A small dependency-free line chart over time: one line per series, coloured markers, an optional threshold.
 * Screen readers get the title and a data table (also offered to everyone under "Show data").
 */
export function TimeSeriesChart({
  title,
  series,
  threshold,
  yMax = 100,
  formatX,
  formatY,
  tableHeadings = { x: "Time", y: "Value", tone: "Result" },
  toneLabels = DEFAULT_TONE_LABELS,
}: TimeSeriesChartProps) {
  const titleId = useId();
  const allPoints = series.flatMap((line) => line.points);
  const xs = allPoints.map((point) => point.x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const scaleX = (x: number) => PAD.left + (xMax === xMin ? PLOT_W / 2 : ((x - xMin) / (xMax - xMin)) * PLOT_W);
  const scaleY = (y: number) => PAD.top + PLOT_H - (Math.min(Math.max(y, 0), yMax) / yMax) * PLOT_H;
  const baseline = scaleY(0);
  const yTicks = Array.from({ length: Y_TICKS + 1 }, (_, index) => (yMax / Y_TICKS) * index);
  // Label the first, middle and last windows that have data, rather than arbitrary instants between them.
  const distinctXs = [...new Set(xs)].sort((a, b) => a - b);
  const xTicks = [
    ...new Set([distinctXs[0], distinctXs[Math.floor((distinctXs.length - 1) / 2)], distinctXs.at(-1)]),
  ].filter((tick): tick is number => tick !== undefined);
  const thresholdLine = threshold && thresholdPoints(threshold, distinctXs, scaleX, scaleY);
  // A column of thresholds only when they differ between points; one level is said by the legend already.
  const hasOwnThresholds = new Set(allPoints.flatMap((point) => point.threshold ?? [])).size > 1;

  return (
    <figure aria-labelledby={titleId} className="space-y-2">
      <figcaption id={titleId} className="text-sm font-medium">
        {title}
      </figcaption>
      <svg
        role="img"
        aria-labelledby={titleId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full max-w-4xl overflow-visible text-zinc-500 dark:text-zinc-400"
      >
        {yTicks.map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={scaleY(tick)}
              y2={scaleY(tick)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
              strokeWidth={1}
            />
            <text
              x={PAD.left - 6}
              y={scaleY(tick)}
              textAnchor="end"
              dominantBaseline="middle"
              className="fill-current text-[11px]"
            >
              {formatY(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick, index) => (
          <text
            key={tick}
            x={scaleX(tick)}
            y={HEIGHT - 8}
            textAnchor={
              xTicks.length === 1 ? "middle" : index === 0 ? "start" : index === xTicks.length - 1 ? "end" : "middle"
            }
            className="fill-current text-[11px]"
          >
            {formatX(tick)}
          </text>
        ))}
        {thresholdLine && (
          <polyline
            points={thresholdLine}
            fill="none"
            strokeDasharray="6 4"
            strokeWidth={1.5}
            className="stroke-amber-500"
            data-testid="threshold-line"
          />
        )}
        {series.map((line, index) =>
          segments(line.points).map((segment) => (
            <polyline
              key={`${line.id}-${segment[0]?.id ?? ""}`}
              points={segment.map((point) => `${scaleX(point.x)},${scaleY(point.y ?? 0)}`).join(" ")}
              fill="none"
              strokeWidth={2}
              strokeLinejoin="round"
              className={SERIES_STROKES[index % SERIES_STROKES.length]}
            />
          )),
        )}
        {allPoints.map((point) => (
          <circle
            key={point.id}
            cx={scaleX(point.x)}
            cy={point.y === null ? baseline : scaleY(point.y)}
            r={4.5}
            strokeWidth={point.tone === "none" ? 1.5 : 1}
            className={MARKER_CLASSES[point.tone]}
          >
            <title>{point.label}</title>
          </circle>
        ))}
      </svg>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Legend">
        {series.length > 1 &&
          series.map((line, index) => (
            <li key={line.id} className="flex items-center gap-1.5">
              <svg aria-hidden="true" width="16" height="4">
                <line
                  x1="0"
                  x2="16"
                  y1="2"
                  y2="2"
                  strokeWidth={3}
                  className={SERIES_STROKES[index % SERIES_STROKES.length]}
                />
              </svg>
              {line.label}
            </li>
          ))}
        {threshold && (
          <li className="flex items-center gap-1.5">
            <svg aria-hidden="true" width="16" height="4">
              <line x1="0" x2="16" y1="2" y2="2" strokeWidth={2} strokeDasharray="4 2" className="stroke-amber-500" />
            </svg>
            {threshold.label}
          </li>
        )}
        {(["positive", "negative", "none"] as const).map((tone) => (
          <li key={tone} className="flex items-center gap-1.5">
            <svg aria-hidden="true" width="10" height="10" viewBox="0 0 10 10">
              <circle cx="5" cy="5" r="4" strokeWidth={1.5} className={MARKER_CLASSES[tone]} />
            </svg>
            {toneLabels[tone]}
          </li>
        ))}
      </ul>
      <details className="text-sm">
        <summary className="cursor-pointer text-indigo-700 dark:text-indigo-300">Show data</summary>
        <div className="mt-2">
          <Table>
            <caption className="sr-only">{title}</caption>
            <TableHead>
              <tr>
                {series.length > 1 && <TableHeaderCell>Series</TableHeaderCell>}
                <TableHeaderCell>{tableHeadings.x}</TableHeaderCell>
                <TableHeaderCell className="text-right">{tableHeadings.y}</TableHeaderCell>
                {hasOwnThresholds && <TableHeaderCell className="text-right">Threshold</TableHeaderCell>}
                <TableHeaderCell>{tableHeadings.tone}</TableHeaderCell>
              </tr>
            </TableHead>
            <TableBody>
              {series.flatMap((line) =>
                line.points.map((point) => (
                  <TableRow key={point.id}>
                    {series.length > 1 && <TableCell>{line.label}</TableCell>}
                    <TableCell className="whitespace-nowrap">{formatX(point.x)}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {point.y === null ? "—" : formatY(point.y)}
                    </TableCell>
                    {hasOwnThresholds && (
                      <TableCell className="text-right tabular-nums">
                        {point.threshold === undefined ? "—" : formatY(point.threshold)}
                      </TableCell>
                    )}
                    <TableCell className={clsx(point.tone === "negative" && "text-red-700 dark:text-red-300")}>
                      {toneLabels[point.tone]}
                    </TableCell>
                  </TableRow>
                )),
              )}
            </TableBody>
          </Table>
        </div>
      </details>
    </figure>
  );
}
