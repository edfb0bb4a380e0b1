import { hasRole, IdSchema } from "@status/shared";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, type LoaderFunctionArgs } from "react-router";
import { ArchiveBanner } from "@/components/archive/archive-banner.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getCatalogQueryOptions, useCatalog } from "@/features/catalogs/api/get-catalog.ts";
import { catalogPath } from "@/features/catalogs/components/catalogs-table.tsx";
import { computationKeys } from "@/features/computations/api/computation-keys.ts";
import {
  getControlComputationsQueryOptions,
  parseComputationListQuery,
} from "@/features/computations/api/get-control-computations.ts";
import { ComputationHistory } from "@/features/computations/components/computation-history.tsx";
import { controlKeys } from "@/features/controls/api/control-keys.ts";
import { getControlQueryOptions, useControl } from "@/features/controls/api/get-control.ts";
import {
  getControlScopeSetsQueryOptions,
  parseScopeSetListQuery,
} from "@/features/controls/api/get-control-scope-sets.ts";
import { DeleteControlDialog, EditControlDialog } from "@/features/controls/components/control-dialogs.tsx";
import { ArchiveControlDialog } from "@/features/controls/components/archive-control-dialog.tsx";
import { ControlDefinition } from "@/features/controls/components/control-definition.tsx";
import { ControlScopeSets } from "@/features/controls/components/control-scope-sets.tsx";
import { ControlSummary } from "@/features/controls/components/control-summary.tsx";
import { useControlStates } from "@/features/controls/api/get-control-states.ts";
import { ControlVersions } from "@/features/controls/components/control-versions.tsx";
import { getControlVersionsQueryOptions } from "@/features/controls/api/get-control-versions.ts";
import { NodeRedFlowLink } from "@/features/controls/components/node-red-flow-link.tsx";
import { PushEvidencePanel } from "@/features/controls/components/push-evidence-panel.tsx";
import { ControlFailures } from "@/features/handling/components/control-failures.tsx";
import { ControlOwnership } from "@/features/handling/components/control-ownership.tsx";
import { ControlLinkedPanels } from "@/features/dashboards/components/control-linked-panels.tsx";
import { getControlMappingsQueryOptions } from "@/features/frameworks/api/control-mappings.ts";
import { ControlRequirements } from "@/features/frameworks/components/control-requirements.tsx";
import { useMashups } from "@/features/mashups/api/get-mashups.ts";
import { ALL_SCOPES, useScopes } from "@/features/scopes/api/get-scopes.ts";
import { getControlPointsQueryOptions } from "@/features/points/api/get-control-points.ts";
import { pointKeys } from "@/features/points/api/point-keys.ts";
import { ChainVerification } from "@/features/points/components/chain-verification.tsx";
import { ComplianceTimeline } from "@/features/points/components/compliance-timeline.tsx";
import { RunControlPanel } from "@/features/runs/components/run-control-panel.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useTimeZone } from "@/lib/time-zone.ts";
import { TimeZoneToggle } from "@/components/ui/time-zone-toggle.tsx";

function isValidIds(catalogId: string | undefined, controlId: string | undefined): boolean {
  return IdSchema.safeParse(catalogId).success && IdSchema.safeParse(controlId).success;
}

/** Starts the control, its catalog and its lists in parallel; the page shows its own loading, error and 404 states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params, request }: LoaderFunctionArgs) => {
    const { catalogId = "", controlId = "" } = params;
    if (!isValidIds(catalogId, controlId)) return null;
    const searchParams = new URL(request.url).searchParams;
    void queryClient.prefetchQuery(getControlQueryOptions(controlId));
    void queryClient.prefetchQuery(getCatalogQueryOptions(catalogId));
    void queryClient.prefetchQuery(getControlScopeSetsQueryOptions(controlId, parseScopeSetListQuery(searchParams)));
    void queryClient.prefetchQuery(
      getControlComputationsQueryOptions(controlId, parseComputationListQuery(searchParams)),
    );
    void queryClient.prefetchQuery(getControlPointsQueryOptions(controlId));
    void queryClient.prefetchQuery(getControlVersionsQueryOptions(controlId));
    void queryClient.prefetchQuery(getControlMappingsQueryOptions(controlId));
    return null;
  };

function BackLink({ catalogId, catalogName }: { catalogId: string; catalogName?: string | undefined }) {
  return (
    <Link
      to={catalogPath(catalogId)}
      className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300"
    >
      ← {catalogName ?? "Catalog"}
    </Link>
  );
}

function ControlNotFound({ catalogId }: { catalogId: string }) {
  return (
    <>
      <title>Control not found · STATUS</title>
      {IdSchema.safeParse(catalogId).success ? (
        <BackLink catalogId={catalogId} />
      ) : (
        <Link to="/catalogs" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← All catalogs
        </Link>
      )}
      <PageHeader title="Control not found" description="It may have been deleted, or the address is wrong." />
    </>
  );
}

export function ControlRoute() {
  const { catalogId = "", controlId = "" } = useParams();
  const isValid = isValidIds(catalogId, controlId);
  const { user } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const controlQuery = useControl(controlId, { enabled: isValid });
  const catalogQuery = useCatalog(catalogId, { enabled: isValid });
  const canEdit = hasRole(user.role, "DEVELOPER");
  const mashupsQuery = useMashups(undefined, { enabled: canEdit && isValid });
  const scopesQuery = useScopes(ALL_SCOPES, { enabled: canEdit && isValid });
  // The control's state (passing, failing, stale…) comes with its catalog's control states.
  const statesQuery = useControlStates(catalogId, { enabled: isValid });
  // Dates show in the catalog's time zone, or in UTC at the viewer's choice; forms keep the catalog's.
  const screenZone = useTimeZone(catalogQuery.data?.timeZone);

  const isElsewhere = controlQuery.data !== undefined && controlQuery.data.catalogId !== catalogId;
  if (!isValid || isApiError(controlQuery.error, "not_found") || isElsewhere)
    return <ControlNotFound catalogId={catalogId} />;
  if (controlQuery.isPending) return <PageSpinner label="Loading control" />;
  if (controlQuery.isError) {
    return (
      <>
        <BackLink catalogId={catalogId} />
        <LoadError
          title="The control could not be loaded"
          error={controlQuery.error}
          onRetry={() => void controlQuery.refetch()}
        />
      </>
    );
  }

  const control = controlQuery.data;
  const catalog = catalogQuery.data;
  // Windows open and close in the catalog's time zone; until it is known (or if it fails), the viewer's.
  const timeZone = catalog?.timeZone;
  const displayZone = screenZone.timeZone;
  const canViewFlow = control.mashupId !== null && hasRole(user.role, "DEVELOPER");
  // Archived itself or with its catalog: read-only and no longer evaluated, until restored.
  const isReadOnly = control.archive !== null || control.isCatalogArchived;
  const canChange = canEdit && !isReadOnly;
  const refreshResults = () => {
    void queryClient.invalidateQueries({ queryKey: computationKeys.controlLists(control.id) });
    void queryClient.invalidateQueries({ queryKey: computationKeys.details() });
    void queryClient.invalidateQueries({ queryKey: pointKeys.control(control.id) });
    // Point counts per version, and the window a next change would take effect from, move with new points.
    void queryClient.invalidateQueries({ queryKey: controlKeys.versions(control.id) });
    void queryClient.invalidateQueries({ queryKey: controlKeys.states(catalogId) });
  };

  return (
    <>
      <title>{`${control.name} · STATUS`}</title>
      <BackLink catalogId={catalogId} catalogName={catalog?.name} />
      <PageHeader
        title={control.name}
        description={
          <ControlSummary
            control={control}
            state={statesQuery.data?.get(control.id)}
            timeZone={displayZone}
            catalogLink={
              <Link to={catalogPath(catalogId)} className="text-indigo-700 hover:underline dark:text-indigo-300">
                {catalog?.name ?? "Open catalog"}
              </Link>
            }
          />
        }
        actions={
          <>
            {canViewFlow && control.mashupId && <NodeRedFlowLink mashupId={control.mashupId} />}
            {canChange && (
              <EditControlDialog
                control={control}
                mashups={mashupsQuery.data?.items ?? []}
                mashupsError={mashupsQuery.error?.message}
                timeZone={timeZone}
              />
            )}
            {/* Restoring a control of an archived catalog would not resume it: the catalog is restored instead. */}
            {canEdit && !control.isCatalogArchived && <ArchiveControlDialog control={control} />}
            {/* Only a draft is ever deleted (it has no points); a control with history is archived instead. */}
            {canEdit && control.status === "draft" && (
              <DeleteControlDialog
                control={control}
                onDeleted={() => void navigate(catalogPath(catalogId), { replace: true })}
              />
            )}
          </>
        }
      />
      <ControlOwnership
        control={control}
        viewer={user}
        isWritable={!isReadOnly}
        onChanged={() => void queryClient.invalidateQueries({ queryKey: controlKeys.detail(control.id) })}
      />
      <div className="mb-4">
        <TimeZoneToggle catalogTimeZone={catalog?.timeZone} />
      </div>
      {control.archive && <ArchiveBanner archive={control.archive} what="control" timeZone={displayZone} />}
      {!control.archive && control.isCatalogArchived && (
        <Alert variant="info" className="mb-6" title="Its catalog is archived">
          The control is no longer evaluated and cannot be changed; everything it recorded stays readable and
          verifiable. Restore the catalog to resume.
        </Alert>
      )}
      <div className="space-y-8">
        <div className="grid gap-6 lg:grid-cols-2">
          <ControlDefinition control={control} timeZone={displayZone} />
          <ControlScopeSets
            controlId={control.id}
            editing={
              canChange
                ? {
                    scopes: scopesQuery.data?.items ?? [],
                    versioning: control.status === "finalized" ? { controlId: control.id, timeZone } : undefined,
                  }
                : undefined
            }
          />
        </div>
        <ControlRequirements controlId={control.id} canEdit={canChange} />
        {/* A push control is never run: its evidence is sent to it. */}
        {control.kind === "push"
          ? !isReadOnly && <PushEvidencePanel controlId={control.id} />
          : !isReadOnly && <RunControlPanel controlId={control.id} timeZone={timeZone} onBatchDone={refreshResults} />}
        <section aria-labelledby="compliance-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="compliance-heading" className="text-lg font-semibold">
              Compliance over time
            </h2>
            <ChainVerification controlId={control.id} />
          </div>
          <ComplianceTimeline controlId={control.id} timeZone={displayZone} />
        </section>
        <ControlVersions controlId={control.id} timeZone={displayZone} />
        <ComputationHistory
          controlId={control.id}
          mashupId={control.mashupId}
          params={control.params}
          timeZone={displayZone}
        />
        <ControlFailures
          controlId={control.id}
          canHandle={canChange}
          timeZone={displayZone}
          onHandled={refreshResults}
        />
        <ControlLinkedPanels controlId={control.id} canEdit={hasRole(user.role, "DEVELOPER")} />
      </div>
    </>
  );
}
