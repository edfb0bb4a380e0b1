import type { Role } from "@status/shared";

export interface NavItem {
  label: string;
  to: string;
  /** Hidden from roles below this one. */
  minimumRole?: Role;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: "Overview", to: "/" },
  { label: "My controls", to: "/my-controls" },
  { label: "Catalogs", to: "/catalogs" },
  { label: "Frameworks", to: "/frameworks" },
  { label: "Scopes", to: "/scopes" },
  { label: "Mashups", to: "/mashups" },
  { label: "Runs", to: "/runs" },
  { label: "Dashboards", to: "/dashboards" },
  { label: "Assistants", to: "/assistants" },
  { label: "Audit log", to: "/audit-log", minimumRole: "ADMIN" },
  { label: "Users", to: "/users", minimumRole: "ADMIN" },
  { label: "Notifications", to: "/notifications", minimumRole: "DEVELOPER" },
  { label: "API tokens", to: "/api-tokens" },
  { label: "Settings", to: "/settings" },
];
