import { CreateScopeBodySchema, ScopeTypeSchema, UpdateScopeBodySchema, type Scope } from "@status/shared";
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateScope } from "../api/create-scope.ts";
import { useUpdateScope } from "../api/update-scope.ts";
import { formatAllowedValues, formatScopeValue, parseAllowedValues, parseScopeValue } from "../utils/scope-values.ts";

/** What the inputs hold; turned into the API body and checked by the schema the API parses. */
const ScopeInputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  type: ScopeTypeSchema,
  defaultValue: z.string(),
  allowedValues: z.string(),
});
type ScopeFormValues = z.infer<typeof ScopeInputsSchema>;

const CreateScopeFormSchema = ScopeInputsSchema.transform((values): z.input<typeof CreateScopeBodySchema> => ({
  name: values.name,
  description: values.description,
  type: values.type,
  defaultValue: parseScopeValue(values.defaultValue, values.type),
  allowedValues: parseAllowedValues(values.allowedValues, values.type),
})).pipe(CreateScopeBodySchema);

const UpdateScopeFormSchema = ScopeInputsSchema.transform((values): z.input<typeof UpdateScopeBodySchema> => ({
  description: values.description,
  defaultValue: parseScopeValue(values.defaultValue, values.type),
  allowedValues: parseAllowedValues(values.allowedValues, values.type),
})).pipe(UpdateScopeBodySchema);

const FIELDS = ["name", "description", "type", "defaultValue", "allowedValues"] as const;
const TYPE_LABELS = { string: "Text", number: "Number", boolean: "Yes / no" } as const;

interface ScopeFieldsProps {
  register: UseFormRegister<ScopeFormValues>;
  errors: FieldErrors<ScopeFormValues>;
  /** When editing: the name and type, which are shown but cannot change. */
  fixed?: Pick<Scope, "name" | "type">;
}

function ScopeFields({ register, errors, fixed }: ScopeFieldsProps) {
  const isEdit = fixed !== undefined;
  return (
    <>
      <FormField
        label="Name"
        hint={
          isEdit
            ? "The name cannot change, because scope sets refer to it."
            : "lower_snake_case, e.g. repository or team_name."
        }
        error={errors.name?.message}
      >
        {(control) =>
          fixed ? (
            <Input {...control} value={fixed.name} disabled readOnly />
          ) : (
            <Input {...control} autoFocus {...register("name")} />
          )
        }
      </FormField>
      <FormField label="Description" error={errors.description?.message}>
        {(control) => <Textarea {...control} {...register("description")} />}
      </FormField>
      <FormField label="Type" error={errors.type?.message}>
        {(control) => (
          <Select
            {...control}
            {...(fixed ? { value: fixed.type, disabled: true, onChange: () => undefined } : register("type"))}
          >
            {ScopeTypeSchema.options.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField
        label="Default value"
        hint="Leave blank for no default; * means every value."
        error={errors.defaultValue?.message}
      >
        {(control) => <Input {...control} {...register("defaultValue")} />}
      </FormField>
      <FormField
        label="Allowed values"
        hint="Comma-separated; leave blank to allow any value."
        error={errors.allowedValues?.message}
      >
        {(control) => <Input {...control} {...register("allowedValues")} />}
      </FormField>
    </>
  );
}

interface CreateScopeFormProps {
  onCreated: (scope: Scope) => void;
  onCancel: () => void;
}

export function CreateScopeForm({ onCreated, onCancel }: CreateScopeFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CreateScopeFormSchema,
    defaultValues: { name: "", description: "", type: "string", defaultValue: "", allowedValues: "" },
    mutation: useCreateScope({ onSuccess: onCreated }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <ScopeFields register={form.register} errors={form.formState.errors} />
      <FormActions submitLabel="Create scope" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

interface EditScopeFormProps {
  scope: Scope;
  onSaved: (scope: Scope) => void;
  onCancel: () => void;
}

export function EditScopeForm({ scope, onSaved, onCancel }: EditScopeFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: UpdateScopeFormSchema,
    defaultValues: {
      name: scope.name,
      description: scope.description,
      type: scope.type,
      defaultValue: formatScopeValue(scope.defaultValue),
      allowedValues: formatAllowedValues(scope.allowedValues),
    },
    mutation: useUpdateScope({ onSuccess: onSaved }),
    toVariables: (body) => ({ scopeId: scope.id, body }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <ScopeFields register={form.register} errors={form.formState.errors} fixed={scope} />
      <FormActions submitLabel="Save changes" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}
