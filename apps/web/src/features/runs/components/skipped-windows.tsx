import type { SkippedWindows, WindowSkipReason } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";

const REASONS: Record<WindowSkipReason, string> = {
  before_start: "before the control's start date (the partial window it falls in included)",
  after_end: "past the control's end date",
};

const windows = (count: number) => `${count} window${count === 1 ? "" : "s"}`;

/** What a run request left out: windows outside the control's life, which are never evaluated. */
export function SkippedWindowsNotice({ skipped }: { skipped: SkippedWindows[] }) {
  if (skipped.length === 0) return null;
  const total = skipped.reduce((sum, item) => sum + item.count, 0);
  return (
    <Alert variant="info" title={`${windows(total)} outside the control's life not run`}>
      <ul className="list-disc pl-5">
        {skipped.map((item) => (
          <li key={item.reason}>
            {windows(item.count)} {REASONS[item.reason]}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
