import { CatalogFromFrameworkBodySchema, MappingRelationshipSchema, PeriodSchema } from "@status/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { catalogKeys } from "@/features/catalogs/api/catalog-keys.ts";
import { PERIOD_LABELS } from "@/features/controls/utils/periods.ts";
import { useCreateCatalogFromFramework } from "@/features/frameworks/api/create-catalog-from-framework.ts";
import { useFramework } from "@/features/frameworks/api/get-framework.ts";
import { useFrameworks } from "@/features/frameworks/api/get-frameworks.ts";
import { draftControlCount, DraftControlsPreview } from "@/features/frameworks/components/draft-controls-preview.tsx";
import { RequirementPicker } from "@/features/frameworks/components/requirement-picker.tsx";
import {
  EMPTY_PICK,
  isPickEmpty,
  toSelection,
  type RequirementPick,
} from "@/features/frameworks/utils/requirement-selection.ts";
import { RELATIONSHIP_LABELS } from "@/features/frameworks/utils/requirement-status.ts";
import { browserTimeZone, formatCount } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";

/** The catalog's fields; the selection comes from the earlier steps. */
const CatalogFieldsSchema = CatalogFromFrameworkBodySchema.omit({ selection: true });
const FIELDS = ["name", "description", "timeZone", "period", "threshold", "relationship"] as const;

function CatalogStep({
  frameworkId,
  pick,
  controlCount,
  onBack,
}: {
  frameworkId: string;
  pick: RequirementPick;
  controlCount: number;
  onBack: () => void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mutation = useCreateCatalogFromFramework({
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: catalogKeys.lists() });
      void navigate(`/catalogs/${result.catalog.id}`);
    },
  });
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CatalogFieldsSchema,
    defaultValues: {
      name: "",
      description: "",
      timeZone: browserTimeZone(),
      period: "MONTHLY",
      threshold: 100,
      relationship: "equivalent-to",
    },
    mutation,
    fields: FIELDS,
    toVariables: (fields) => ({ frameworkId, body: { ...fields, selection: toSelection(pick) } }),
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} aria-label="New catalog from framework" className="max-w-2xl space-y-4">
      <FormField label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} {...form.register("name")} />}
      </FormField>
      <FormField label="Description" error={errors.description?.message}>
        {(control) => <Textarea {...control} {...form.register("description")} />}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Time zone" error={errors.timeZone?.message}>
          {(control) => <Input {...control} {...form.register("timeZone")} />}
        </FormField>
        <FormField label="Period of the controls" error={errors.period?.message}>
          {(control) => (
            <Select {...control} {...form.register("period")}>
              {PeriodSchema.options.map((period) => (
                <option key={period} value={period}>
                  {PERIOD_LABELS[period]}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField label="Threshold (%)" error={errors.threshold?.message}>
          {(control) => (
            <Input
              {...control}
              type="number"
              min={0}
              max={100}
              {...form.register("threshold", { valueAsNumber: true })}
            />
          )}
        </FormField>
        <FormField label="Each control is" hint="…its requirement" error={errors.relationship?.message}>
          {(control) => (
            <Select {...control} {...form.register("relationship")}>
              {MappingRelationshipSchema.options.map((relationship) => (
                <option key={relationship} value={relationship}>
                  {RELATIONSHIP_LABELS[relationship]}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      </div>
      {formError && <Alert>{formError}</Alert>}
      <div className="flex justify-between gap-2 pt-2">
        <Button variant="secondary" disabled={isPending} onClick={onBack}>
          Back
        </Button>
        <Button type="submit" isLoading={isPending}>
          Create catalog with {formatCount(controlCount, "draft control")}
        </Button>
      </div>
    </form>
  );
}

const STEPS = ["Framework", "Requirements", "Preview", "Catalog"] as const;

function Steps({ current }: { current: number }) {
  return (
    <ol aria-label="Steps" className="mb-6 flex flex-wrap gap-2 text-sm">
      {STEPS.map((label, index) => (
        <li
          key={label}
          aria-current={index === current ? "step" : undefined}
          className={
            index === current
              ? "rounded-full border border-indigo-500 bg-indigo-50 px-3 py-1 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
              : "rounded-full border border-zinc-300 px-3 py-1 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
          }
        >
          {index + 1}. {label}
        </li>
      ))}
    </ol>
  );
}

/**
 * The wizard's framework path: pick a framework, then a whole baseline, groups or single requirements, preview the
 * draft controls (one per requirement, mapped to it, mashup still to bind), then name the catalog and create it.
 */
export function CatalogFromFrameworkWizard() {
  const [step, setStep] = useState(0);
  const [frameworkId, setFrameworkId] = useState("");
  const [pick, setPick] = useState<RequirementPick>(EMPTY_PICK);
  const frameworksQuery = useFrameworks({ page: 1, pageSize: 200 });
  const frameworkQuery = useFramework(frameworkId, { enabled: frameworkId !== "" });
  const framework = frameworkQuery.data;

  if (frameworksQuery.isPending) return <PageSpinner label="Loading frameworks" />;
  if (frameworksQuery.isError)
    return <Alert title="The frameworks could not be loaded">{frameworksQuery.error.message}</Alert>;
  if (frameworksQuery.data.items.length === 0)
    return <Alert variant="info">No framework is imported yet: install or import one on the Frameworks page.</Alert>;

  return (
    <div className="space-y-4">
      <Steps current={step} />
      {step === 0 && (
        <div className="max-w-xl space-y-4">
          <FormField label="Framework">
            {(control) => (
              <Select
                {...control}
                value={frameworkId}
                onChange={(event) => (setFrameworkId(event.target.value), setPick(EMPTY_PICK))}
              >
                <option value="">Choose a framework</option>
                {frameworksQuery.data.items.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name} {item.version} ({item.requirementCount} requirements)
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          {frameworkQuery.isError && <Alert>{frameworkQuery.error.message}</Alert>}
          <div className="flex justify-end">
            <Button disabled={!framework} onClick={() => setStep(1)}>
              Next
            </Button>
          </div>
        </div>
      )}
      {step === 1 && framework && (
        <div className="max-w-3xl space-y-4">
          <RequirementPicker framework={framework} pick={pick} onChange={setPick} />
          <div className="flex justify-between">
            <Button variant="secondary" onClick={() => setStep(0)}>
              Back
            </Button>
            <Button disabled={isPickEmpty(pick)} onClick={() => setStep(2)}>
              Preview
            </Button>
          </div>
        </div>
      )}
      {step === 2 && framework && (
        <div className="space-y-4">
          <DraftControlsPreview framework={framework} pick={pick} />
          <div className="flex justify-between">
            <Button variant="secondary" onClick={() => setStep(1)}>
              Back
            </Button>
            <Button onClick={() => setStep(3)}>Next</Button>
          </div>
        </div>
      )}
      {step === 3 && framework && (
        <CatalogStep
          frameworkId={framework.id}
          pick={pick}
          controlCount={draftControlCount(framework, pick)}
          onBack={() => setStep(2)}
        />
      )}
    </div>
  );
}
