import { zodResolver } from "@hookform/resolvers/zod";
import {
  ControlKindSchema,
  CreateControlBodySchema,
  PeriodSchema,
  UpdateControlBodySchema,
  type Control,
  type CreateControlBody,
  type Mashup,
} from "@status/shared";
import { useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { formErrorMap } from "@/lib/form-errors.ts";
import { browserTimeZone } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateControl } from "../api/create-control.ts";
import { useUpdateControl } from "../api/update-control.ts";
import { settableInputs } from "../utils/control-params.ts";
import { bodySchema, initialValues, placeProblem, type ControlFormValues } from "../utils/control-form-values.ts";
import { PERIOD_LABELS } from "../utils/periods.ts";
import { MashupParamFields } from "./mashup-param-fields.tsx";
import { ChangeReasonField, VersionImpactNote } from "./version-impact.tsx";

interface ControlFormProps {
  /** The mashups to pick from; an empty list still allows a control without one (a draft). */
  mashups: readonly Mashup[];
  /** Why the mashups could not be listed, if they could not. */
  mashupsError?: string | undefined;
  /** The catalog's time zone: the dates start at midnight there. */
  timeZone?: string | undefined;
  onCancel: () => void;
}

interface ControlFieldsProps<T> {
  form: UseFormReturn<ControlFormValues, unknown, T>;
  mashups: readonly Mashup[];
  mashupsError?: string | undefined;
  /** A mashup id stored on the control that Node-RED no longer lists. */
  missingMashupId?: string | null;
  /** Whether the kind can be chosen: when creating only (a control keeps its kind). */
  isKindEditable?: boolean;
}

const KIND_LABELS = {
  mashup: "Mashup: STATUS runs a Node-RED flow each window",
  push: "Push: a CI job or script sends the evidence",
} as const;

function ControlFields<T>({ form, mashups, mashupsError, missingMashupId, isKindEditable }: ControlFieldsProps<T>) {
  const { errors } = form.formState;
  const kind = useWatch({ control: form.control, name: "kind" });
  return (
    <>
      <FormField label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus {...form.register("name")} />}
      </FormField>
      <FormField label="Description" error={errors.description?.message}>
        {(control) => <Textarea {...control} {...form.register("description")} />}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="Period"
          hint="Each period is one window, evaluated once it has closed."
          error={errors.period?.message}
        >
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
        <FormField
          label="Threshold (%)"
          hint="The share of passing evidence a window needs."
          error={errors.threshold?.message}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="decimal"
              min={0}
              max={100}
              step="any"
              {...form.register("threshold")}
            />
          )}
        </FormField>
        <FormField label="Start date" hint="Blank: the catalog's." error={errors.startDate?.message}>
          {(control) => <Input {...control} type="date" {...form.register("startDate")} />}
        </FormField>
        <FormField label="End date" hint="Blank: the catalog's." error={errors.endDate?.message}>
          {(control) => <Input {...control} type="date" {...form.register("endDate")} />}
        </FormField>
        <FormField
          label="Stale after (hours)"
          hint="How late a closed window's point may be before the control shows as stale. Blank: one period."
          error={errors.staleGraceHours?.message}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              {...form.register("staleGraceHours")}
            />
          )}
        </FormField>
      </div>
      {isKindEditable ? (
        <FormField label="Evidence from" hint="Set when the control is created." error={errors.kind?.message}>
          {(control) => (
            <Select {...control} {...form.register("kind")}>
              {ControlKindSchema.options.map((option) => (
                <option key={option} value={option}>
                  {KIND_LABELS[option]}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      ) : (
        <p className="text-sm">
          <span className="font-medium">Evidence from:</span> {KIND_LABELS[kind]} (a control keeps how it gets its
          evidence)
        </p>
      )}
      {kind === "push" ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No mashup: the control page shows the endpoint and a ready-to-copy curl to send its evidence.
        </p>
      ) : (
        <MashupFields form={form} mashups={mashups} mashupsError={mashupsError} missingMashupId={missingMashupId} />
      )}
    </>
  );
}

function MashupFields<T>({ form, mashups, mashupsError, missingMashupId }: ControlFieldsProps<T>) {
  const { errors } = form.formState;
  const mashupId = useWatch({ control: form.control, name: "mashupId" });
  const mashup = mashups.find((candidate) => candidate.id === mashupId);
  return (
    <>
      {mashupsError && <Alert title="The mashups could not be listed">{mashupsError}</Alert>}
      <FormField label="Mashup" hint="The Node-RED flow that collects the evidence." error={errors.mashupId?.message}>
        {(control) => (
          <Select {...control} {...form.register("mashupId")}>
            <option value="">No mashup yet (draft only)</option>
            {missingMashupId && <option value={missingMashupId}>{missingMashupId} (not in Node-RED)</option>}
            {mashups.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.id})
              </option>
            ))}
          </Select>
        )}
      </FormField>
      {mashup && <MashupParamFields mashup={mashup} register={form.register} errors={errors.inputs} />}
      <FormField
        label="Other parameters (JSON)"
        hint='Parameters the mashup does not declare, as a JSON object, e.g. {"org": "acme"}.'
        error={errors.extraParams?.message}
      >
        {(control) => <Textarea {...control} rows={2} className="font-mono" {...form.register("extraParams")} />}
      </FormField>
    </>
  );
}

function inputNamesOf(mashups: readonly Mashup[], mashupId: string): string[] {
  return settableInputs(mashups.find((mashup) => mashup.id === mashupId)?.inputs ?? []).map((input) => input.name);
}

export function CreateControlForm({
  catalogId,
  mashups,
  mashupsError,
  timeZone = browserTimeZone(),
  onCreated,
  onCancel,
}: ControlFormProps & { catalogId: string; onCreated: (control: Control) => void }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: bodySchema(CreateControlBodySchema, { mashups, timeZone }),
    defaultValues: initialValues(undefined, mashups, timeZone),
    mutation: useCreateControl({ onSuccess: onCreated }),
    toVariables: (body) => ({ catalogId, body }),
    fields: (error, form) => placeProblem(error, form, inputNamesOf(mashups, form.getValues("mashupId"))),
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <ControlFields form={form} mashups={mashups} mashupsError={mashupsError} isKindEditable />
      <FormActions submitLabel="Create control" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditControlForm({
  control,
  mashups,
  mashupsError,
  timeZone = browserTimeZone(),
  onSaved,
  onCancel,
}: ControlFormProps & { control: Control; onSaved: (control: Control) => void }) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: bodySchema(UpdateControlBodySchema, { mashups, timeZone, control }),
    defaultValues: initialValues(control, mashups, timeZone),
    mutation: useUpdateControl({ onSuccess: onSaved }),
    toVariables: (body) => ({ controlId: control.id, body }),
    fields: (error, form) => placeProblem(error, form, inputNamesOf(mashups, form.getValues("mashupId"))),
  });
  const isMissing = control.mashupId !== null && !mashups.some((mashup) => mashup.id === control.mashupId);
  const period = useWatch({ control: form.control, name: "period" });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <ControlFields
        form={form}
        mashups={mashups}
        mashupsError={mashupsError}
        missingMashupId={isMissing ? control.mashupId : null}
      />
      {control.status === "finalized" && (
        <>
          <VersionImpactNote
            controlId={control.id}
            period={period}
            subject="the period, threshold, mashup or parameters"
            timeZone={timeZone}
          />
          <ChangeReasonField registration={form.register("reason")} error={form.formState.errors.reason?.message} />
        </>
      )}
      <FormActions submitLabel="Save changes" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

interface DraftControlFormProps extends ControlFormProps {
  /** Receives the checked body; nothing is sent (the catalog wizard persists its drafts at the end). */
  onSubmit: (body: CreateControlBody) => void;
  /** Names already used in the draft, refused here as the API would refuse them. */
  takenNames: readonly string[];
}

/** The control fields for a control that does not exist yet: the wizard collects bodies and creates them later. */
export function DraftControlForm({
  mashups,
  mashupsError,
  timeZone = browserTimeZone(),
  onSubmit,
  onCancel,
  takenNames,
}: DraftControlFormProps) {
  const form = useForm<ControlFormValues, unknown, CreateControlBody>({
    resolver: zodResolver(bodySchema(CreateControlBodySchema, { mashups, timeZone }), { error: formErrorMap }),
    defaultValues: initialValues(undefined, mashups, timeZone),
  });
  const submit = form.handleSubmit((body) => {
    if (takenNames.some((name) => name.toLowerCase() === body.name.toLowerCase())) {
      form.setError("name", { type: "duplicate", message: "Another control in this catalog has that name" });
      return;
    }
    onSubmit(body);
  });
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ControlFields form={form} mashups={mashups} mashupsError={mashupsError} isKindEditable />
      <FormActions submitLabel="Add to catalog" isPending={false} onCancel={onCancel} />
    </form>
  );
}
