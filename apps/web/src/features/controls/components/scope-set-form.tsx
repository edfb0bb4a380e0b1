import { zodResolver } from "@hookform/resolvers/zod";
import {
  CreateScopeSetBodySchema,
  SCOPE_WILDCARD,
  type CreateScopeSetBody,
  type Scope,
  type ScopeSet,
} from "@status/shared";
import { useState } from "react";
import { useFieldArray, useForm, useWatch, type Path } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { ApiError } from "@/lib/api-client.ts";
import { applyProblemToForm, formErrorMap } from "@/lib/form-errors.ts";
import { useCreateScopeSet } from "../api/create-scope-set.ts";
import { useUpdateScopeSet } from "../api/update-scope-set.ts";
import { readScopeValue } from "../utils/scope-set-values.ts";

const ScopeSetInputsSchema = z.object({ rows: z.array(z.object({ scope: z.string(), value: z.string() })) });
type ScopeSetFormValues = z.infer<typeof ScopeSetInputsSchema>;

function formSchema(scopes: readonly Scope[]) {
  return ScopeSetInputsSchema.transform((values, ctx): z.input<typeof CreateScopeSetBodySchema> => {
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
    return { values: result as CreateScopeSetBody["values"] };
  }).pipe(CreateScopeSetBodySchema);
}

/** `body.values.<scope>` names a scope; the row that holds it gets the message. */
function placeProblem(
  error: unknown,
  form: ReturnType<typeof useForm<ScopeSetFormValues, unknown, CreateScopeSetBody>>,
): string | null {
  const rows = form.getValues("rows");
  const fields = rows.flatMap(
    (_row, index) => [`rows.${index}.scope`, `rows.${index}.value`] as Path<ScopeSetFormValues>[],
  );
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

interface ScopeSetFormProps {
  /** The control to add the set to; without one the form only hands the body to `onSubmitBody` (a draft). */
  controlId?: string | undefined;
  onSubmitBody?: (body: CreateScopeSetBody) => void;
  /** The scope dimensions to choose from. */
  scopes: readonly Scope[];
  onCreated?: (scopeSet: ScopeSet) => void;
  /** Edit this set (its values are replaced) instead of adding one. */
  scopeSet?: ScopeSet | undefined;
  onCancel: () => void;
  submitLabel?: string;
}

/** One value per chosen scope dimension; the control is then evaluated for exactly those values. */
export function ScopeSetForm({
  controlId,
  onSubmitBody,
  scopes,
  onCreated,
  scopeSet,
  onCancel,
  submitLabel = "Add scope set",
}: ScopeSetFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ScopeSetFormValues, unknown, CreateScopeSetBody>({
    resolver: zodResolver(formSchema(scopes), { error: formErrorMap }),
    defaultValues: {
      rows: scopeSet
        ? Object.entries(scopeSet.values).map(([scope, value]) => ({ scope, value: String(value) }))
        : [{ scope: scopes[0]?.name ?? "", value: "" }],
    },
  });
  const rows = useFieldArray({ control: form.control, name: "rows" });
  const chosen = useWatch({ control: form.control, name: "rows" });
  const createMutation = useCreateScopeSet(onCreated ? { onSuccess: onCreated } : {});
  const updateMutation = useUpdateScopeSet(onCreated ? { onSuccess: onCreated } : {});
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (body) => {
    setFormError(null);
    if (!controlId) {
      onSubmitBody?.(body);
      return;
    }
    try {
      if (scopeSet) await updateMutation.mutateAsync({ controlId, scopeSetId: scopeSet.id, body });
      else await createMutation.mutateAsync({ controlId, body });
    } catch (error) {
      setFormError(placeProblem(error, form));
    }
  });

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
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      {errors.rows?.root?.message && <Alert>{errors.rows.root.message}</Alert>}
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
      <FormActions
        submitLabel={submitLabel}
        isPending={createMutation.isPending || updateMutation.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
