import { hasRole } from "@status/shared";
import { Link, useNavigate } from "react-router";
import { NoAccess } from "@/components/layout/no-access.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { ImportFrameworkForm } from "@/features/frameworks/components/import-framework-form.tsx";
import { frameworkPath } from "@/features/frameworks/utils/framework-path.ts";

export function ImportFrameworkRoute() {
  const { user } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <title>Import a framework · STATUS</title>
      <Link to="/frameworks" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
        ← All frameworks
      </Link>
      <PageHeader
        title="Import a framework"
        description="Preview first: the dry run lists what would be stored and every problem, and stores nothing."
      />
      {hasRole(user.role, "DEVELOPER") ? (
        <ImportFrameworkForm onImported={(result) => void navigate(frameworkPath(result.framework.id))} />
      ) : (
        <NoAccess minimumRole="DEVELOPER" />
      )}
    </>
  );
}
