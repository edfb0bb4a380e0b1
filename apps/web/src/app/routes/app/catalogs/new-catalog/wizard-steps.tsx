import { zodResolver } from "@hookform/resolvers/zod";
import type { CreateCatalogBody, CreateScopeSetBody, Mashup, Scope } from "@status/shared";
import { clsx } from "clsx";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import {
  CatalogFields,
  CatalogFormSchema,
  type CatalogFormValues,
} from "@/features/catalogs/components/create-catalog-form.tsx";
import { DraftControlForm } from "@/features/controls/components/control-form.tsx";
import { DraftScopeSetForm } from "@/features/controls/components/scope-set-form.tsx";
import { PERIOD_LABELS } from "@/features/controls/utils/periods.ts";
import { formErrorMap } from "@/lib/form-errors.ts";
import type { CreatedSoFar, DraftControl } from "./catalog-plan.ts";

export const WIZARD_STEPS = ["Details", "Controls", "Scope sets", "Review"] as const;

export function StepList({ current }: { current: number }) {
  return (
    <ol aria-label="Steps" className="mb-6 flex flex-wrap gap-2 text-sm">
      {WIZARD_STEPS.map((label, index) => (
        <li
          key={label}
          aria-current={index === current ? "step" : undefined}
          className={clsx(
            "rounded-full border px-3 py-1",
            index === current
              ? "border-indigo-500 bg-indigo-50 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
              : "border-zinc-300 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400",
          )}
        >
          {index + 1}. {label}
        </li>
      ))}
    </ol>
  );
}

function StepButtons({
  onBack,
  nextLabel = "Next",
  onNext,
}: {
  onBack?: () => void;
  nextLabel?: string;
  onNext?: () => void;
}) {
  return (
    <div className="flex justify-between gap-2 pt-4">
      {onBack ? (
        <Button variant="secondary" onClick={onBack}>
          Back
        </Button>
      ) : (
        <span />
      )}
      {onNext ? <Button onClick={onNext}>{nextLabel}</Button> : <Button type="submit">{nextLabel}</Button>}
    </div>
  );
}

interface DetailsStepProps {
  values: CatalogFormValues;
  onDone: (values: CatalogFormValues, body: CreateCatalogBody) => void;
}

/** Step 1: the catalog's own fields, checked by the schema the API parses. */
export function DetailsStep({ values, onDone }: DetailsStepProps) {
  const form = useForm<CatalogFormValues, unknown, CreateCatalogBody>({
    resolver: zodResolver(CatalogFormSchema, { error: formErrorMap }),
    defaultValues: values,
  });
  return (
    <form
      onSubmit={form.handleSubmit((body) => onDone(form.getValues(), body))}
      noValidate
      className="max-w-2xl space-y-4"
    >
      <CatalogFields form={form} />
      <StepButtons />
    </form>
  );
}

interface ControlsStepProps {
  drafts: DraftControl[];
  created: CreatedSoFar;
  mashups: readonly Mashup[];
  mashupsError?: string | undefined;
  timeZone: string;
  onAdd: (draft: DraftControl) => void;
  onRemove: (key: string) => void;
  onBack?: (() => void) | undefined;
  onNext: () => void;
}

let draftSequence = 0;

/** Step 2: the controls, drafted one by one; nothing is sent until the review step. */
export function ControlsStep({
  drafts,
  created,
  mashups,
  mashupsError,
  timeZone,
  onAdd,
  onRemove,
  onBack,
  onNext,
}: ControlsStepProps) {
  const [isAdding, setIsAdding] = useState(drafts.length === 0);
  return (
    <div className="space-y-4">
      {drafts.length === 0 && !isAdding && (
        <EmptyState title="No controls yet">A catalog can be created empty and filled later.</EmptyState>
      )}
      {drafts.length > 0 && (
        <ul
          aria-label="Drafted controls"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        >
          {drafts.map((draft) => (
            <li key={draft.key} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
              <span>
                <span className="font-medium">{draft.body.name}</span>
                <span className="ml-2 text-zinc-600 dark:text-zinc-400">
                  {PERIOD_LABELS[draft.body.period]} · {draft.body.threshold} % · {draft.body.mashupId ?? "no mashup"}
                </span>
              </span>
              {draft.key in created.controlIds ? (
                <span className="text-xs text-emerald-700 dark:text-emerald-400">Created</span>
              ) : (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove ${draft.body.name}`}
                  onClick={() => onRemove(draft.key)}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdding ? (
        <section
          aria-label="New control"
          className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <h2 className="mb-3 font-semibold">New control</h2>
          <DraftControlForm
            mashups={mashups}
            mashupsError={mashupsError}
            timeZone={timeZone}
            takenNames={drafts.map((draft) => draft.body.name)}
            onCancel={() => setIsAdding(false)}
            onSubmit={(body) => {
              draftSequence += 1;
              onAdd({ key: `draft-${draftSequence}`, body, scopeSets: [] });
              setIsAdding(false);
            }}
          />
        </section>
      ) : (
        <Button variant="secondary" onClick={() => setIsAdding(true)}>
          Add a control
        </Button>
      )}
      <StepButtons onBack={onBack} onNext={onNext} />
    </div>
  );
}

function describeValues(body: CreateScopeSetBody): string {
  return Object.entries(body.values)
    .map(([name, value]) => `${name} = ${String(value)}`)
    .join(", ");
}

interface ScopeSetsStepProps {
  drafts: DraftControl[];
  created: CreatedSoFar;
  scopes: readonly Scope[];
  onChange: (key: string, scopeSets: CreateScopeSetBody[]) => void;
  onBack: () => void;
  onNext: () => void;
}

/** Step 3: for each drafted control, the scope sets it is evaluated for (none: once, for the empty scope). */
export function ScopeSetsStep({ drafts, created, scopes, onChange, onBack, onNext }: ScopeSetsStepProps) {
  const [addingTo, setAddingTo] = useState<string | null>(null);
  if (drafts.length === 0) {
    return (
      <div className="space-y-4">
        <EmptyState title="No controls to scope">
          Scope sets belong to controls; add controls first, or skip this step.
        </EmptyState>
        <StepButtons onBack={onBack} onNext={onNext} />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {drafts.map((draft) => {
        const createdCount = created.scopeSetCounts[draft.key] ?? 0;
        return (
          <section
            key={draft.key}
            aria-label={`Scope sets of ${draft.body.name}`}
            className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <h2 className="mb-2 font-semibold">{draft.body.name}</h2>
            {draft.scopeSets.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                No scope sets: evaluated once per window, for the empty scope.
              </p>
            ) : (
              <ul className="mb-2 space-y-1 text-sm">
                {draft.scopeSets.map((body, index) => (
                  <li key={describeValues(body)} className="flex items-center justify-between gap-2">
                    <code className="text-xs">{describeValues(body)}</code>
                    {index < createdCount ? (
                      <span className="text-xs text-emerald-700 dark:text-emerald-400">Created</span>
                    ) : (
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Remove ${describeValues(body)}`}
                        onClick={() =>
                          onChange(
                            draft.key,
                            draft.scopeSets.filter((_set, position) => position !== index),
                          )
                        }
                      >
                        Remove
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {addingTo === draft.key ? (
              <DraftScopeSetForm
                scopes={scopes}
                submitLabel="Add to control"
                onCancel={() => setAddingTo(null)}
                onSubmit={(body) => {
                  onChange(draft.key, [...draft.scopeSets, body]);
                  setAddingTo(null);
                }}
              />
            ) : (
              <Button variant="secondary" size="sm" className="mt-2" onClick={() => setAddingTo(draft.key)}>
                Add scope set to {draft.body.name}
              </Button>
            )}
          </section>
        );
      })}
      <StepButtons onBack={onBack} onNext={onNext} />
    </div>
  );
}
