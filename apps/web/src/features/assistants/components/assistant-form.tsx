import { zodResolver } from "@hookform/resolvers/zod";
import {
  ASSISTANT_TOOLS,
  AssistantToolNameSchema,
  CreateAssistantBodySchema,
  UpdateAssistantBodySchema,
  type Assistant,
  type CreateAssistantBody,
  type UpdateAssistantBody,
} from "@status/shared";
import { useState } from "react";
import { useForm, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Textarea } from "@/components/ui/input.tsx";
import { applyProblemToForm, formErrorMap } from "@/lib/form-errors.ts";
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

interface AssistantFormProps {
  /** Omit to create a new assistant. */
  assistant?: Assistant;
  onSaved: (assistant: Assistant) => void;
  onCancel: () => void;
}

export function AssistantForm({ assistant, onSaved, onCancel }: AssistantFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<AssistantFormValues, unknown, CreateAssistantBody | UpdateAssistantBody>({
    resolver: zodResolver(assistant ? UpdateFormSchema : CreateFormSchema, { error: formErrorMap }),
    defaultValues: {
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
    },
  });
  const createMutation = useCreateAssistant({ onSuccess: onSaved });
  const updateMutation = useUpdateAssistant({ onSuccess: onSaved });

  const submit = form.handleSubmit(async (body) => {
    setFormError(null);
    try {
      if (assistant) await updateMutation.mutateAsync({ assistantId: assistant.id, body: body });
      else await createMutation.mutateAsync(body as CreateAssistantBody);
    } catch (error) {
      setFormError(applyProblemToForm(error, form.setError, FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <AssistantFields register={form.register} errors={form.formState.errors} />
      <FormActions
        submitLabel={assistant ? "Save changes" : "Create assistant"}
        isPending={createMutation.isPending || updateMutation.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
