import type { AuditListQuery } from "@status/shared";

/** Query keys of the audit feature. */
export const auditKeys = {
  all: ["audit"] as const,
  lists: () => [...auditKeys.all, "list"] as const,
  list: (query: AuditListQuery) => [...auditKeys.lists(), query] as const,
};
