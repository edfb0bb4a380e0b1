import type { DashboardListQuery } from "@status/shared";

/** Query keys of the dashboards feature; mutations invalidate through the same factory. */
export const dashboardKeys = {
  all: ["dashboards"] as const,
  lists: () => [...dashboardKeys.all, "list"] as const,
  list: (query: DashboardListQuery) => [...dashboardKeys.lists(), query] as const,
  detail: (uid: string) => [...dashboardKeys.all, "detail", uid] as const,
  folders: () => [...dashboardKeys.all, "folders"] as const,
  subjects: () => [...dashboardKeys.all, "subjects"] as const,
  grafanaSession: () => [...dashboardKeys.all, "grafana-session"] as const,
  controlPanels: (controlId: string) => [...dashboardKeys.all, "control-panels", controlId] as const,
};
