import { CatalogListQuerySchema, hasRole, IdSchema, type FrameworkCompliance } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { useCatalogs } from "@/features/catalogs/api/get-catalogs.ts";
import { getFrameworkQueryOptions, useFramework } from "@/features/frameworks/api/get-framework.ts";
import {
  getFrameworkComplianceQueryOptions,
  useFrameworkCompliance,
} from "@/features/frameworks/api/get-framework-compliance.ts";
import { getRequirementsQueryOptions, parseRequirementListQuery } from "@/features/frameworks/api/get-requirements.ts";
import { ComplianceChart } from "@/features/frameworks/components/compliance-chart.tsx";
import { ComplianceFilters } from "@/features/frameworks/components/compliance-filters.tsx";
import { FrameworkExports } from "@/features/frameworks/components/framework-exports.tsx";
import { ImportMappingsDialog } from "@/features/frameworks/components/import-mappings-dialog.tsx";
import { SOURCE_LABELS } from "@/features/frameworks/components/frameworks-list.tsx";
import { RequirementTree, type ComplianceLookup } from "@/features/frameworks/components/requirement-tree.tsx";
import {
  readComplianceParams,
  toComplianceQuery,
  useComplianceParams,
} from "@/features/frameworks/hooks/use-compliance-params.ts";
import { isApiError } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";

// The roll-up counts a catalog's controls; the picker lists the first page of catalogs, which covers real setups.
const CATALOG_PICKER_QUERY = CatalogListQuerySchema.parse({ pageSize: 200, sort: "name" });

/** Starts the framework, its first requirements and the roll-up in parallel. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params, request }: LoaderFunctionArgs) => {
    const frameworkId = params.frameworkId ?? "";
    if (!IdSchema.safeParse(frameworkId).success) return null;
    const searchParams = new URL(request.url).searchParams;
    void queryClient.prefetchQuery(getFrameworkQueryOptions(frameworkId));
    void queryClient.prefetchQuery(getRequirementsQueryOptions(frameworkId, parseRequirementListQuery(searchParams)));
    void queryClient.prefetchQuery(
      getFrameworkComplianceQueryOptions(frameworkId, toComplianceQuery(readComplianceParams(searchParams))),
    );
    return null;
  };

function BackLink() {
  return (
    <Link to="/frameworks" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
      ← All frameworks
    </Link>
  );
}

function toLookup(compliance: FrameworkCompliance | undefined, isError: boolean): ComplianceLookup {
  if (compliance)
    return { state: "ready", byRequirementId: new Map(compliance.requirements.map((r) => [r.requirementId, r])) };
  return { state: isError ? "error" : "loading" };
}

export function FrameworkRoute() {
  const { frameworkId = "" } = useParams();
  const { user } = useSession();
  const isValid = IdSchema.safeParse(frameworkId).success;
  const frameworkQuery = useFramework(frameworkId, { enabled: isValid });
  const { params, query, update } = useComplianceParams();
  const complianceQuery = useFrameworkCompliance(frameworkId, query, { enabled: isValid });
  const catalogsQuery = useCatalogs(CATALOG_PICKER_QUERY);
  const lookup = useMemo(
    () => toLookup(complianceQuery.data, complianceQuery.isError),
    [complianceQuery.data, complianceQuery.isError],
  );

  if (!isValid || isApiError(frameworkQuery.error, "not_found"))
    return (
      <>
        <title>Framework not found · STATUS</title>
        <BackLink />
        <PageHeader title="Framework not found" description="The address is wrong, or it was never imported." />
      </>
    );
  if (frameworkQuery.isPending) return <PageSpinner label="Loading framework" />;
  if (frameworkQuery.isError)
    return (
      <>
        <BackLink />
        <LoadError
          title="The framework could not be loaded"
          error={frameworkQuery.error}
          onRetry={() => void frameworkQuery.refetch()}
        />
      </>
    );

  const framework = frameworkQuery.data;
  return (
    <>
      <title>{`${framework.name} ${framework.version} · STATUS`}</title>
      <BackLink />
      <PageHeader
        title={`${framework.name} ${framework.version}`}
        description={
          <>
            {formatCount(framework.requirementCount, "requirement")} in {formatCount(framework.groupCount, "group")} ·{" "}
            {SOURCE_LABELS[framework.source]}
            {framework.oscalVersion && ` (OSCAL ${framework.oscalVersion})`}
            {framework.description && <span className="mt-1 block">{framework.description}</span>}
          </>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <Link
              to={`/frameworks/${framework.id}/statement-of-applicability`}
              className={buttonVariants({ variant: "secondary" })}
            >
              Statement of Applicability
            </Link>
            {hasRole(user.role, "DEVELOPER") && <ImportMappingsDialog framework={framework} />}
            <FrameworkExports framework={framework} catalogId={params.catalogId} />
          </div>
        }
      />
      <div className="space-y-8">
        <section aria-labelledby="rollup-heading" className="space-y-3">
          <h2 id="rollup-heading" className="text-lg font-semibold">
            Roll-up
          </h2>
          <ComplianceFilters params={params} catalogs={catalogsQuery.data?.items ?? []} onChange={update} />
          {complianceQuery.isPending && <PageSpinner label="Loading the roll-up" />}
          {complianceQuery.isError && (
            <LoadError
              title="The roll-up could not be loaded"
              error={complianceQuery.error}
              onRetry={() => void complianceQuery.refetch()}
            />
          )}
          {complianceQuery.data && <ComplianceChart compliance={complianceQuery.data} />}
        </section>
        <RequirementTree frameworkId={framework.id} groups={framework.groups} compliance={lookup} />
      </div>
    </>
  );
}
