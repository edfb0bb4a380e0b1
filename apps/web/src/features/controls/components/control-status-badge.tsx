import type { ControlStatus } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

export function ControlStatusBadge({ status }: { status: ControlStatus }) {
  return status === "finalized" ? <Badge tone="success">Finalized</Badge> : <Badge tone="warning">Draft</Badge>;
}
