import {
  ASSISTANT_TOOLS,
  AssistantToolNameSchema,
  CreateAssistantBodySchema,
  UpdateAssistantBodySchema,
  type Assistant,
} from "@status/shared";
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Textarea } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateAssistant, useUpdateAssistant } from "../api/save-assistant.ts";

/** What the inputs hold: a blank model means "the default model of the AI settings". */
const AssistantInputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  instructions: z.string(),
  model: z.string(),
  tools: z.array(AssistantToolNameSchema),
  isEnabled: z.boolean(),
});
type AssistantFormValues = z.infer<typeof AssistantInputsSchema>;

const toBody = (values: AssistantFormValues) => ({
  ...values,
  model: values.model.trim() === "" ? null : values.model.trim(),
});
const CreateFormSchema = AssistantInputsSchema.transform((values): z.input<typeof CreateAssistantBodySchema> =>
  toBody(values),
).pipe(CreateAssistantBodySchema);
const UpdateFormSchema = AssistantInputsSchema.transform((values): z.input<typeof UpdateAssistantBodySchema> =>
  toBody(values),
).pipe(UpdateAssistantBodySchema);
const FIELDS = ["name", "description", "instructions", "model", "tools", "isEnabled"] as const;

function AssistantFields({
  register,
  errors,
}: {
  register: UseFormRegister<AssistantFormValues>;
  errors: FieldErrors<AssistantFormValues>;
}) {
  return (
    <>
      <FormField label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus {...register("name")} />}
      </FormField>
      <FormField label="Description" error={errors.description?.message}>
        {(control) => <Textarea {...control} rows={2} {...register("description")} />}
      </FormField>
      <FormField
        label="Instructions"
        hint="How the assistant should behave; sent as its system instructions."
        error={errors.instructions?.message}
      >
        {(control) => <Textarea {...control} rows={5} {...register("instructions")} />}
      </FormField>
      <FormField
        label="Model"
        hint="Leave blank for the default model of the AI settings."
        error={errors.model?.message}
      >
        {(control) => <Input {...control} placeholder="e.g. gpt-4o-mini" {...register("model")} />}
      </FormField>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Tools</legend>
        {AssistantToolNameSchema.options.map((tool) => (
          <label key={tool} className="flex items-start gap-2 text-sm">
            <input type="checkbox" value={tool} className="mt-0.5" {...register("tools")} />
            <span>
              {ASSISTANT_TOOLS[tool].label}
              {ASSISTANT_TOOLS[tool].minimumRole !== "USER" && (
                <span className="text-zinc-500"> ({ASSISTANT_TOOLS[tool].minimumRole} and up)</span>
              )}
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                {ASSISTANT_TOOLS[tool].description}
              </span>
            </span>
          </label>
        ))}
        {errors.tools?.message && <p className="text-sm text-red-600">{errors.tools.message}</p>}
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" {...register("isEnabled")} />
        Enabled (users can chat with it)
      </label>
    </>
  );
}

/** The starting inputs: the assistant's, or a new one's with the tools most answers need. */
function assistantValues(assistant: Assistant | undefined): AssistantFormValues {
  return {
    name: assistant?.name ?? "",
    description: assistant?.description ?? "",
    instructions: assistant?.instructions ?? "",
    model: assistant?.model ?? "",
    tools: assistant?.tools ?? [
      "list_failing_controls",
      "get_control_evidence",
      "get_catalog_compliance",
      "explain_control_flow",
      "search_knowledge_base",
    ],
    isEnabled: assistant?.isEnabled ?? true,
  };
}

interface AssistantFormProps {
  onSaved: (assistant: Assistant) => void;
  onCancel: () => void;
}

export function CreateAssistantForm({ onSaved, onCancel }: AssistantFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CreateFormSchema,
    defaultValues: assistantValues(undefined),
    mutation: useCreateAssistant({ onSuccess: onSaved }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <AssistantFields register={form.register} errors={form.formState.errors} />
      <FormActions submitLabel="Create assistant" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditAssistantForm({ assistant, onSaved, onCancel }: AssistantFormProps & { assistant: Assistant }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: UpdateFormSchema,
    defaultValues: assistantValues(assistant),
    mutation: useUpdateAssistant({ onSuccess: onSaved }),
    toVariables: (body) => ({ assistantId: assistant.id, body }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <AssistantFields register={form.register} errors={form.formState.errors} />
      <FormActions submitLabel="Save changes" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}
