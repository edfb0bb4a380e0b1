import type { RequirementStatus } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { REQUIREMENT_STATUS } from "../utils/requirement-status.ts";

export function RequirementStatusBadge({ status }: { status: RequirementStatus }) {
  const { label, symbol, tone } = REQUIREMENT_STATUS[status];
  return (
    <Badge tone={tone}>
      <span aria-hidden="true" className="mr-1">
        {symbol}
      </span>
      {label}
    </Badge>
  );
}
