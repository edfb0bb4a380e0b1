import type { Role } from "@status/shared";
import { Alert } from "../ui/alert.tsx";

/** What a page shows to a role below the one it needs. */
export function NoAccess({ minimumRole }: { minimumRole: Role }) {
  return <Alert title="You do not have access to this page">It is available to the {minimumRole} role.</Alert>;
}
