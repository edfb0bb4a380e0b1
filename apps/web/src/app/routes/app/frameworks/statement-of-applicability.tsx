import { hasRole, IdSchema } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { Link, useParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import {
  getStatementOfApplicabilityQueryOptions,
  useStatementOfApplicability,
} from "@/features/assessments/api/statement-of-applicability.ts";
import { SoaExports } from "@/features/assessments/components/soa-exports.tsx";
import { SoaTable } from "@/features/assessments/components/soa-table.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { isApiError } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    const frameworkId = params.frameworkId ?? "";
    if (IdSchema.safeParse(frameworkId).success)
      void queryClient.prefetchQuery(getStatementOfApplicabilityQueryOptions(frameworkId));
    return null;
  };

function BackLink({ frameworkId }: { frameworkId: string }) {
  return (
    <Link
      to={`/frameworks/${frameworkId}`}
      className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300"
    >
      ← Back to the framework
    </Link>
  );
}

/** A framework's Statement of Applicability: decided per requirement (DEVELOPER and up), exported for auditors. */
export function StatementOfApplicabilityRoute() {
  const { frameworkId = "" } = useParams();
  const isValid = IdSchema.safeParse(frameworkId).success;
  const { user } = useSession();
  const soaQuery = useStatementOfApplicability(frameworkId, { enabled: isValid });

  if (!isValid || isApiError(soaQuery.error, "not_found"))
    return (
      <>
        <title>Framework not found · STATUS</title>
        <PageHeader title="Framework not found" description="The address is wrong, or it was never imported." />
      </>
    );
  if (soaQuery.isPending) return <PageSpinner label="Loading the Statement of Applicability" />;
  if (soaQuery.isError)
    return (
      <LoadError
        title="The Statement of Applicability could not be loaded"
        error={soaQuery.error}
        onRetry={() => void soaQuery.refetch()}
      />
    );
  const statement = soaQuery.data;
  const applicable = statement.rows.filter((row) => row.isApplicable).length;
  return (
    <>
      <title>{`Statement of Applicability · ${statement.frameworkName} ${statement.frameworkVersion} · STATUS`}</title>
      <BackLink frameworkId={frameworkId} />
      <PageHeader
        title="Statement of Applicability"
        description={`${statement.frameworkName} ${statement.frameworkVersion} · ${applicable} of ${formatCount(statement.rows.length, "requirement")} applicable`}
        actions={<SoaExports frameworkId={frameworkId} />}
      />
      {statement.rows.length === 0 ? (
        <EmptyState title="The framework has no requirements" />
      ) : (
        <SoaTable frameworkId={frameworkId} rows={statement.rows} canEdit={hasRole(user.role, "DEVELOPER")} />
      )}
    </>
  );
}
