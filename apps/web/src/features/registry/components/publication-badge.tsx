import type { RegistryPublication } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";

const BADGES: Record<
  RegistryPublication["state"],
  { tone: "success" | "warning" | "danger" | "neutral"; label: string }
> = {
  published: { tone: "success", label: "Published to the registry" },
  pending: { tone: "warning", label: "Publishing to the registry" },
  error: { tone: "danger", label: "Registry publication failed" },
  unpublished: { tone: "neutral", label: "Not published yet" },
  not_configured: { tone: "neutral", label: "No registry configured" },
  archived: { tone: "neutral", label: "Archived: the registry keeps the agreement as last published" },
};

export function PublicationBadge({ state }: { state: RegistryPublication["state"] }) {
  const badge = BADGES[state];
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}
