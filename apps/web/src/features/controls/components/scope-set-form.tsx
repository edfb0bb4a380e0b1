import { zodResolver } from "@hookform/resolvers/zod";
import {
  CreateScopeSetBodySchema,
  SCOPE_WILDCARD,
  type CreateScopeSetBody,
  type Scope,
  type ScopeSet,
} from "@status/shared";
import type { BaseSyntheticEvent } from "react";
import { useFieldArray, useForm, useWatch, type Path, type UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { ApiError } from "@/lib/api-client.ts";
import { applyProblemToForm, formErrorMap } from "@/lib/form-errors.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateScopeSet } from "../api/create-scope-set.ts";
import { useUpdateScopeSet } from "../api/update-scope-set.ts";
import { readScopeValue } from "../utils/scope-set-values.ts";
import { ChangeReasonField, VersionImpactNote } from "./version-impact.tsx";

const ScopeSetInputsSchema = z.object({
  rows: z.array(z.object({ scope: z.string(), value: z.string() })),
  reason: z.string(),
});
type ScopeSetFormValues = z.infer<typeof ScopeSetInputsSchema>;
type ScopeSetFormApi = UseFormReturn<ScopeSetFormValues, unknown, CreateScopeSetBody>;

/** A finalized control's scope sets decide its results: changing them creates a version and needs a reason. */
export interface ScopeSetVersioning {
  controlId: string;
  timeZone?: string | undefined;
}

function formSchema(scopes: readonly Scope[], versioning?: ScopeSetVersioning) {
  return ScopeSetInputsSchema.transform((values, ctx): z.input<typeof CreateScopeSetBodySchema> => {
    const reason = values.reason.trim();
    if (versioning && !reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why: this change creates a new version" });
    const result: Record<string, unknown> = {};
    values.rows.forEach((row, index) => {
      const scope = scopes.find((candidate) => candidate.name === row.scope);
      if (!scope) return ctx.addIssue({ code: "custom", path: ["rows", index, "scope"], message: "Choose a scope" });
      if (row.value.trim() === "")
        return ctx.addIssue({ code: "custom", path: ["rows", index, "value"], message: "Required" });
      if (row.scope in result)
        return ctx.addIssue({ code: "custom", path: ["rows", index, "scope"], message: "Already in this set" });
      result[row.scope] = readScopeValue(row.value, scope.type);
    });
    return { values: result as CreateScopeSetBody["values"], ...(reason ? { reason } : {}) };
  }).pipe(CreateScopeSetBodySchema);
}

/** `body.values.<scope>` names a scope; the row that holds it gets the message. */
function placeProblem(error: unknown, form: ScopeSetFormApi): string | null {
  const rows = form.getValues("rows");
  const fields: Path<ScopeSetFormValues>[] = [
    "reason",
    ...rows.flatMap((_row, index) => [`rows.${index}.scope`, `rows.${index}.value`] as Path<ScopeSetFormValues>[]),
  ];
  if (!(error instanceof ApiError)) return applyProblemToForm(error, form.setError, fields);
  const errors = error.errors.map((issue) => {
    const name = /^body\.values\.([^.]+)/.exec(issue.path)?.[1];
    const index = rows.findIndex((row) => row.scope === name);
    return index === -1 ? issue : { ...issue, path: `rows.${index}.value` };
  });
  return applyProblemToForm(new ApiError({ ...error, errors }), form.setError, fields);
}

function ValueField({
  scope,
  error,
  register,
}: {
  scope: Scope | undefined;
  error?: string | undefined;
  register: () => object;
}) {
  const hint = scope?.allowedValues
    ? undefined
    : `${SCOPE_WILDCARD} means every value${scope?.defaultValue != null ? `; default ${String(scope.defaultValue)}` : ""}.`;
  return (
    <FormField label="Value" hint={hint} error={error}>
      {(control) =>
        scope?.allowedValues ? (
          <Select {...control} {...register()}>
            <option value="">Choose…</option>
            <option value={SCOPE_WILDCARD}>{SCOPE_WILDCARD} (every value)</option>
            {scope.allowedValues.map((value) => (
              <option key={String(value)} value={String(value)}>
                {String(value)}
              </option>
            ))}
          </Select>
        ) : (
          <Input {...control} {...register()} />
        )
      }
    </FormField>
  );
}

/** One row per value of the set being edited, or one empty row for the first scope. */
function scopeSetValues(scopes: readonly Scope[], scopeSet?: ScopeSet): ScopeSetFormValues {
  return {
    rows: scopeSet
      ? Object.entries(scopeSet.values).map(([scope, value]) => ({ scope, value: String(value) }))
      : [{ scope: scopes[0]?.name ?? "", value: "" }],
    reason: "",
  };
}

interface ScopeSetFormProps {
  /** The scope dimensions to choose from. */
  scopes: readonly Scope[];
  /** Set for a finalized control: the form asks for the reason and says which version the change creates. */
  versioning?: ScopeSetVersioning | undefined;
  onSaved: (scopeSet: ScopeSet) => void;
  onCancel: () => void;
}

/** Adds a scope set to a control: one value per chosen scope dimension, evaluated for exactly those values. */
export function AddScopeSetForm({
  controlId,
  scopes,
  versioning,
  onSaved,
  onCancel,
}: ScopeSetFormProps & { controlId: string }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: formSchema(scopes, versioning),
    defaultValues: scopeSetValues(scopes),
    mutation: useCreateScopeSet({ onSuccess: onSaved }),
    toVariables: (body) => ({ controlId, body }),
    fields: placeProblem,
  });
  return (
    <ScopeSetFormLayout
      form={form}
      scopes={scopes}
      onSubmit={onSubmit}
      formError={formError}
      submitLabel="Add scope set"
      isPending={isPending}
      onCancel={onCancel}
      versioning={versioning}
    />
  );
}

/** Replaces the values of a control's scope set. */
export function EditScopeSetForm({
  scopeSet,
  scopes,
  versioning,
  onSaved,
  onCancel,
}: ScopeSetFormProps & { scopeSet: ScopeSet }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: formSchema(scopes, versioning),
    defaultValues: scopeSetValues(scopes, scopeSet),
    mutation: useUpdateScopeSet({ onSuccess: onSaved }),
    toVariables: (body) => ({ controlId: scopeSet.controlId, scopeSetId: scopeSet.id, body }),
    fields: placeProblem,
  });
  return (
    <ScopeSetFormLayout
      form={form}
      scopes={scopes}
      onSubmit={onSubmit}
      formError={formError}
      submitLabel="Save changes"
      isPending={isPending}
      onCancel={onCancel}
      versioning={versioning}
    />
  );
}

interface DraftScopeSetFormProps {
  scopes: readonly Scope[];
  /** Receives the checked body; nothing is sent (the catalog wizard creates the sets with their control). */
  onSubmit: (body: CreateScopeSetBody) => void;
  onCancel: () => void;
  submitLabel: string;
}

/** The scope set fields for a control that does not exist yet. */
export function DraftScopeSetForm({ scopes, onSubmit, onCancel, submitLabel }: DraftScopeSetFormProps) {
  const form = useForm<ScopeSetFormValues, unknown, CreateScopeSetBody>({
    resolver: zodResolver(formSchema(scopes), { error: formErrorMap }),
    defaultValues: scopeSetValues(scopes),
  });
  return (
    <ScopeSetFormLayout
      form={form}
      scopes={scopes}
      onSubmit={form.handleSubmit(onSubmit)}
      formError={null}
      submitLabel={submitLabel}
      isPending={false}
      onCancel={onCancel}
    />
  );
}

interface ScopeSetFormLayoutProps {
  form: ScopeSetFormApi;
  scopes: readonly Scope[];
  versioning?: ScopeSetVersioning | undefined;
  onSubmit: (event?: BaseSyntheticEvent) => Promise<void>;
  formError: string | null;
  submitLabel: string;
  isPending: boolean;
  onCancel: () => void;
}

function ScopeSetFormLayout({
  form,
  scopes,
  versioning,
  onSubmit,
  formError,
  submitLabel,
  isPending,
  onCancel,
}: ScopeSetFormLayoutProps) {
  if (scopes.length === 0) {
    return (
      <div className="space-y-4">
        <p className="text-sm">No scope dimensions exist yet. Create them on the Scopes page first.</p>
        <div className="flex justify-end">
          <Button variant="secondary" onClick={onCancel}>
            Close
          </Button>
        </div>
      </div>
    );
  }
  const rootError = form.formState.errors.rows?.root?.message;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      {rootError && <Alert>{rootError}</Alert>}
      <ScopeSetRows form={form} scopes={scopes} />
      {versioning && (
        <>
          <VersionImpactNote controlId={versioning.controlId} subject="the scope sets" timeZone={versioning.timeZone} />
          <ChangeReasonField registration={form.register("reason")} error={form.formState.errors.reason?.message} />
        </>
      )}
      <FormActions submitLabel={submitLabel} isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

function ScopeSetRows({ form, scopes }: { form: ScopeSetFormApi; scopes: readonly Scope[] }) {
  const rows = useFieldArray({ control: form.control, name: "rows" });
  const chosen = useWatch({ control: form.control, name: "rows" });
  const { errors } = form.formState;
  return (
    <>
      {rows.fields.map((field, index) => (
        <fieldset
          key={field.id}
          className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start dark:border-zinc-800"
        >
          <legend className="sr-only">Scope value {index + 1}</legend>
          <FormField label="Scope" error={errors.rows?.[index]?.scope?.message}>
            {(control) => (
              <Select {...control} {...form.register(`rows.${index}.scope`)}>
                {scopes.map((scope) => (
                  <option key={scope.id} value={scope.name}>
                    {scope.name}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <ValueField
            scope={scopes.find((scope) => scope.name === chosen[index]?.scope)}
            error={errors.rows?.[index]?.value?.message}
            register={() => form.register(`rows.${index}.value`)}
          />
          <Button
            variant="ghost"
            size="sm"
            className="sm:mt-7"
            disabled={rows.fields.length === 1}
            onClick={() => rows.remove(index)}
            aria-label={`Remove scope value ${index + 1}`}
          >
            Remove
          </Button>
        </fieldset>
      ))}
      <Button
        variant="secondary"
        size="sm"
        onClick={() =>
          rows.append({
            scope: scopes.find((scope) => !chosen.some((row) => row.scope === scope.name))?.name ?? "",
            value: "",
          })
        }
      >
        Add another scope
      </Button>
    </>
  );
}
