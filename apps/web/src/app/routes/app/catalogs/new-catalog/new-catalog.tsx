import { hasRole, type CreateCatalogBody } from "@status/shared";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { NoAccess } from "@/components/layout/no-access.tsx";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { catalogKeys } from "@/features/catalogs/api/catalog-keys.ts";
import { emptyCatalogValues, type CatalogFormValues } from "@/features/catalogs/components/create-catalog-form.tsx";
import { getMashupsQueryOptions, useMashups } from "@/features/mashups/api/get-mashups.ts";
import { ALL_SCOPES, getScopesQueryOptions, useScopes } from "@/features/scopes/api/get-scopes.ts";
import { formatCount, formatDate } from "@/lib/format.ts";
import {
  hasCreatedAnything,
  NOTHING_CREATED,
  persistPlan,
  planSteps,
  PlanStepError,
  type CatalogPlan,
  type CreatedSoFar,
  type DraftControl,
} from "./catalog-plan.ts";
import { CatalogFromFrameworkWizard } from "./from-framework.tsx";
import { ControlsStep, DetailsStep, ScopeSetsStep, StepList } from "./wizard-steps.tsx";

/** The wizard reads the mashups and scopes its steps offer; start both while the page loads. */
export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getMashupsQueryOptions());
  void queryClient.prefetchQuery(getScopesQueryOptions(ALL_SCOPES));
  return null;
};

type Persisting = { state: "idle" } | { state: "running" } | { state: "failed"; error: PlanStepError };

function ReviewStep({
  plan,
  created,
  persisting,
  onBack,
  onCreate,
}: {
  plan: CatalogPlan;
  created: CreatedSoFar;
  persisting: Persisting;
  onBack: () => void;
  onCreate: () => void;
}) {
  const steps = planSteps(plan, created);
  const scopeSetCount = plan.controls.reduce((sum, draft) => sum + draft.scopeSets.length, 0);
  const isRunning = persisting.state === "running";
  return (
    <div className="max-w-2xl space-y-4">
      <dl className="grid grid-cols-2 gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div>
          <dt className="text-xs text-zinc-500 uppercase">Catalog</dt>
          <dd className="font-medium">{plan.catalog.name}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500 uppercase">Dates</dt>
          <dd>
            {formatDate(plan.catalog.startDate, plan.catalog.timeZone)} –{" "}
            {formatDate(plan.catalog.endDate, plan.catalog.timeZone)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500 uppercase">Controls</dt>
          <dd>{plan.controls.length}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500 uppercase">Scope sets</dt>
          <dd>{scopeSetCount}</dd>
        </div>
      </dl>
      <ol aria-label="What will be created" className="space-y-1 text-sm">
        {steps.map((step, index) => {
          const isFailed = persisting.state === "failed" && persisting.error.step === step.label;
          return (
            <li key={`${step.label}-${index}`} className="flex items-center gap-2">
              <span
                aria-hidden="true"
                className={step.isDone ? "text-emerald-600" : isFailed ? "text-red-600" : "text-zinc-400"}
              >
                {step.isDone ? "✓" : isFailed ? "✗" : "○"}
              </span>
              <span>{step.label}</span>
              <span className="sr-only">{step.isDone ? "(done)" : isFailed ? "(failed)" : "(to do)"}</span>
            </li>
          );
        })}
      </ol>
      {isRunning && <Spinner label="Creating" />}
      {persisting.state === "failed" && (
        <Alert title={`Stopped at: ${persisting.error.step}`}>
          <p>{persisting.error.message}</p>
          <p className="mt-1">
            {hasCreatedAnything(created)
              ? "The steps marked ✓ were saved. Fix the cause (go back to change the drafts that were not created), then continue."
              : "Nothing was saved. Go back to change the details, or try again."}
          </p>
        </Alert>
      )}
      <div className="flex flex-wrap justify-between gap-2 pt-2">
        <Button variant="secondary" disabled={isRunning} onClick={onBack}>
          Back
        </Button>
        <div className="flex flex-wrap gap-2">
          {created.catalogId && (
            <Link
              to={`/catalogs/${created.catalogId}`}
              className="inline-flex h-9 items-center px-2 text-sm text-indigo-700 underline dark:text-indigo-300"
            >
              Open the catalog
            </Link>
          )}
          <Button isLoading={isRunning} onClick={onCreate}>
            {persisting.state === "failed" ? "Continue" : "Create catalog"}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** The catalog wizard: details → controls → scope sets → review; it persists with the API's endpoints, in order. */
export function NewCatalogRoute() {
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canCreate = hasRole(user.role, "DEVELOPER");
  const [step, setStep] = useState(0);
  const [detailValues, setDetailValues] = useState<CatalogFormValues>(emptyCatalogValues);
  const [catalogBody, setCatalogBody] = useState<CreateCatalogBody | null>(null);
  const [drafts, setDrafts] = useState<DraftControl[]>([]);
  const [created, setCreated] = useState<CreatedSoFar>(NOTHING_CREATED);
  const [persisting, setPersisting] = useState<Persisting>({ state: "idle" });
  const mashupsQuery = useMashups(undefined, { enabled: canCreate });
  const scopesQuery = useScopes(ALL_SCOPES, { enabled: canCreate });
  // `?from=framework`: the framework path, which the API creates in one request (issue 16).
  const [searchParams] = useSearchParams();
  const isFromFramework = searchParams.get("from") === "framework";

  if (!canCreate) {
    return (
      <>
        <title>New catalog · STATUS</title>
        <PageHeader title="New catalog" />
        <NoAccess minimumRole="DEVELOPER" />
      </>
    );
  }

  if (isFromFramework) {
    return (
      <>
        <title>New catalog from a framework · STATUS</title>
        <Link to="/catalogs" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← All catalogs
        </Link>
        <PageHeader
          title="New catalog from a framework"
          description="One draft control per requirement, mapped to it; bind each control's mashup afterwards."
          actions={
            <Link to="/catalogs/new" className="text-sm text-indigo-700 underline dark:text-indigo-300">
              Start from scratch instead
            </Link>
          }
        />
        <CatalogFromFrameworkWizard />
      </>
    );
  }

  const create = async () => {
    if (!catalogBody) return;
    setPersisting({ state: "running" });
    try {
      const done = await persistPlan({ catalog: catalogBody, controls: drafts }, created, setCreated);
      void navigate(`/catalogs/${done.catalogId}`);
    } catch (error) {
      setPersisting({
        state: "failed",
        error: error instanceof PlanStepError ? error : new PlanStepError("Create the catalog", error),
      });
    } finally {
      // The plan is saved with the plain API calls, not the mutation hooks, so the catalog list learns of it here.
      void queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
    }
  };
  const timeZone = catalogBody?.timeZone ?? detailValues.timeZone;
  // Once the catalog exists its details are fixed here; it can be edited on its own page.
  const isCatalogCreated = created.catalogId !== null;

  return (
    <>
      <title>New catalog · STATUS</title>
      <Link to="/catalogs" className="mb-4 inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300">
        ← All catalogs
      </Link>
      <PageHeader
        title="New catalog"
        description={`A draft catalog with its controls and scope sets; nothing is saved until the last step. ${drafts.length > 0 ? formatCount(drafts.length, "control") + " drafted." : ""}`}
        actions={
          step === 0 && (
            <Link to="/catalogs/new?from=framework" className="text-sm text-indigo-700 underline dark:text-indigo-300">
              New catalog from framework
            </Link>
          )
        }
      />
      <StepList current={step} />
      {step === 0 && (
        <DetailsStep
          values={detailValues}
          onDone={(values, body) => {
            setDetailValues(values);
            setCatalogBody(body);
            setStep(1);
          }}
        />
      )}
      {step === 1 && (
        <ControlsStep
          drafts={drafts}
          created={created}
          mashups={mashupsQuery.data?.items ?? []}
          mashupsError={mashupsQuery.error?.message}
          timeZone={timeZone}
          onAdd={(draft) => setDrafts((current) => [...current, draft])}
          onRemove={(key) => setDrafts((current) => current.filter((draft) => draft.key !== key))}
          onBack={isCatalogCreated ? undefined : () => setStep(0)}
          onNext={() => setStep(2)}
        />
      )}
      {step === 2 && (
        <ScopeSetsStep
          drafts={drafts}
          created={created}
          scopes={scopesQuery.data?.items ?? []}
          onChange={(key, scopeSets) =>
            setDrafts((current) => current.map((draft) => (draft.key === key ? { ...draft, scopeSets } : draft)))
          }
          onBack={() => setStep(1)}
          onNext={() => setStep(3)}
        />
      )}
      {step === 3 && catalogBody && (
        <ReviewStep
          plan={{ catalog: catalogBody, controls: drafts }}
          created={created}
          persisting={persisting}
          onBack={() => setStep(2)}
          onCreate={() => void create()}
        />
      )}
    </>
  );
}
