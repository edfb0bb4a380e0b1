import type { CatalogStatus } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

export function CatalogStatusBadge({ status }: { status: CatalogStatus }) {
  return status === "finalized" ? <Badge tone="success">Finalized</Badge> : <Badge tone="warning">Draft</Badge>;
}
