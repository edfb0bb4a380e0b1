import { clsx } from "clsx";

interface ProgressBarProps {
  /** 0..1 */
  value: number;
  label: string;
  /** What a screen reader says instead of the bare percentage, e.g. "3 of 4 runs finished". */
  valueText?: string;
  tone?: "accent" | "success" | "danger";
}

const TONES = {
  accent: "bg-indigo-600 dark:bg-indigo-400",
  success: "bg-emerald-600 dark:bg-emerald-400",
  danger: "bg-red-600 dark:bg-red-400",
} as const;

export function ProgressBar({ value, label, valueText, tone = "accent" }: ProgressBarProps) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText ?? `${percent} %`}
      className="h-2.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={clsx("h-full rounded-full transition-[width] duration-300", TONES[tone])}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
