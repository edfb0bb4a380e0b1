import { zodResolver } from "@hookform/resolvers/zod";
import { CreateCatalogBodySchema, type Catalog, type CreateCatalogBody } from "@status/shared";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { FormField } from "../../../components/ui/form-field.tsx";
import { Input, Textarea } from "../../../components/ui/input.tsx";
import { applyProblemToForm, formErrorMap } from "../../../lib/form-errors.ts";
import { browserTimeZone, isKnownTimeZone, zonedMidnightToIso } from "../../../lib/format.ts";
import { useCreateCatalog } from "../api/create-catalog.ts";

/**
 * What the inputs hold (dates as `YYYY-MM-DD`), turned into the API body and then checked by the very schema
 * the API parses, so the rules (lengths, time zone, end after start) are not restated here.
 */
const CatalogInputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  timeZone: z.string(),
});
type CatalogFormValues = z.infer<typeof CatalogInputsSchema>;

const CatalogFormSchema = CatalogInputsSchema.transform(toCreateCatalogBody).pipe(CreateCatalogBodySchema);
const FIELDS = ["name", "description", "startDate", "endDate", "timeZone"] as const;

function toCreateCatalogBody(values: CatalogFormValues): z.input<typeof CreateCatalogBodySchema> {
  const timeZone = values.timeZone.trim();
  // An unknown zone is reported by the schema; the dates still need some zone to be converted.
  const zoneForDates = isKnownTimeZone(timeZone) ? timeZone : "UTC";
  return {
    name: values.name,
    description: values.description,
    startDate: values.startDate ? zonedMidnightToIso(values.startDate, zoneForDates) : null,
    endDate: values.endDate ? zonedMidnightToIso(values.endDate, zoneForDates) : null,
    timeZone,
  };
}

function timeZoneOptions(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

interface CreateCatalogFormProps {
  onCreated: (catalog: Catalog) => void;
  onCancel: () => void;
}

export function CreateCatalogForm({ onCreated, onCancel }: CreateCatalogFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CatalogFormValues, unknown, CreateCatalogBody>({
    resolver: zodResolver(CatalogFormSchema, { error: formErrorMap }),
    defaultValues: { name: "", description: "", startDate: "", endDate: "", timeZone: browserTimeZone() },
  });
  const createMutation = useCreateCatalog({ onSuccess: onCreated });
  const zones = useMemo(timeZoneOptions, []);
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (body) => {
    setFormError(null);
    try {
      await createMutation.mutateAsync(body);
    } catch (error) {
      setFormError(applyProblemToForm(error, form.setError, FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus {...form.register("name")} />}
      </FormField>
      <FormField label="Description" error={errors.description?.message}>
        {(control) => <Textarea {...control} {...form.register("description")} />}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Start date" error={errors.startDate?.message}>
          {(control) => <Input {...control} type="date" {...form.register("startDate")} />}
        </FormField>
        <FormField label="End date" error={errors.endDate?.message}>
          {(control) => <Input {...control} type="date" {...form.register("endDate")} />}
        </FormField>
      </div>
      <FormField
        label="Time zone"
        hint="Dates start at midnight in this zone, and the controls' windows close at midnight there."
        error={errors.timeZone?.message}
      >
        {(control) => <Input {...control} list="catalog-time-zones" autoComplete="off" {...form.register("timeZone")} />}
      </FormField>
      <datalist id="catalog-time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={createMutation.isPending}>
          Create catalog
        </Button>
      </div>
    </form>
  );
}
