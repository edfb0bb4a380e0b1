import type { Theme } from "@/lib/theme.ts";

/** Where a browser loads one panel alone, in the app's theme (Grafana's d-solo page, allow_embedding on). */
export function panelEmbedUrl(embedPath: string, panelId: number, theme: Theme): string {
  return `${embedPath}?${new URLSearchParams({ orgId: "1", panelId: String(panelId), theme })}`;
}
