import type { PointHandling } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { formatCount, formatDate, formatDateTime } from "@/lib/format.ts";

interface HandlingBadgeProps {
  /** A point's or computation's `handling`; nothing is shown for null or an unhandled point. */
  handling: PointHandling | null | undefined;
  /** The catalog's time zone, so the expiry date reads as the control page's windows do. */
  timeZone?: string | undefined;
}

/**
 * How a failing point is being handled, next to its result (which stays a failure in the record): an accepted exception
 * until its expiry, an acknowledgement, and how many comments it has. Any table that lists points or computations can
 * place it.
 */
export function HandlingBadge({ handling, timeZone }: HandlingBadgeProps) {
  if (!handling) return null;
  const { exception, acknowledged, commentCount } = handling;
  if (!exception && !acknowledged && commentCount === 0) return null;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {exception?.isActive && (
        <span title={`Approved by ${exception.approverName}`}>
          <Badge tone="info">Accepted exception until {formatDate(exception.expiresAt, timeZone)}</Badge>
        </span>
      )}
      {exception && !exception.isActive && (
        <Badge tone="neutral">Exception expired {formatDate(exception.expiresAt, timeZone)}</Badge>
      )}
      {acknowledged && (
        <span title={`Acknowledged by ${acknowledged.byName}, ${formatDateTime(acknowledged.at, timeZone)}`}>
          <Badge tone="accent">Acknowledged</Badge>
        </span>
      )}
      {commentCount > 0 && <Badge tone="neutral">{formatCount(commentCount, "comment")}</Badge>}
    </span>
  );
}
