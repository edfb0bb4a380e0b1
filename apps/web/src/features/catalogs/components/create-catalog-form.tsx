import { CreateCatalogBodySchema, UpdateCatalogBodySchema, type Catalog } from "@status/shared";
import { useMemo } from "react";
import type { UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import { browserTimeZone, isKnownTimeZone, zonedMidnightToIso } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateCatalog } from "../api/create-catalog.ts";
import { useUpdateCatalog } from "../api/update-catalog.ts";

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
  firstDayOfWeek: z.string(),
});
type CatalogFormValues = z.infer<typeof CatalogInputsSchema>;

const CatalogFormSchema = CatalogInputsSchema.transform(toCreateCatalogBody).pipe(CreateCatalogBodySchema);
const EditCatalogFormSchema = CatalogInputsSchema.transform((values): z.input<typeof UpdateCatalogBodySchema> =>
  toCreateCatalogBody(values),
).pipe(UpdateCatalogBodySchema);
const FIELDS = ["name", "description", "startDate", "endDate", "timeZone", "firstDayOfWeek"] as const;

/** ISO day numbers, as the API counts them. */
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

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
    firstDayOfWeek: Number(values.firstDayOfWeek),
  };
}

function timeZoneOptions(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

interface CreateCatalogFormProps {
  onCreated: (catalog: Catalog) => void;
  onCancel: () => void;
}

/** The catalog's own fields, shared by the create form, the edit form and the first step of the wizard. */
export function CatalogFields<T>({
  form,
  autoFocus = true,
}: {
  form: UseFormReturn<CatalogFormValues, unknown, T>;
  autoFocus?: boolean;
}) {
  const zones = useMemo(timeZoneOptions, []);
  const { errors } = form.formState;
  return (
    <>
      <FormField label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus={autoFocus} {...form.register("name")} />}
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
        {(control) => (
          <Input {...control} list="catalog-time-zones" autoComplete="off" {...form.register("timeZone")} />
        )}
      </FormField>
      <datalist id="catalog-time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <FormField
        label="Weeks start on"
        hint="Weekly windows run from this day's midnight. The first window starts on or after the start date; days before it are not evaluated."
        error={errors.firstDayOfWeek?.message}
      >
        {(control) => (
          <Select {...control} {...form.register("firstDayOfWeek")}>
            {WEEKDAYS.map((day, index) => (
              <option key={day} value={String(index + 1)}>
                {day}
              </option>
            ))}
          </Select>
        )}
      </FormField>
    </>
  );
}

export const CATALOG_FIELDS = FIELDS;
export { CatalogFormSchema, type CatalogFormValues };

/** Empty fields, in the viewer's time zone. */
export function emptyCatalogValues(): CatalogFormValues {
  return { name: "", description: "", startDate: "", endDate: "", timeZone: browserTimeZone(), firstDayOfWeek: "1" };
}

/** A date-time with offset as the `YYYY-MM-DD` a date input shows, in the catalog's zone. */
function toDateInput(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat("en-CA", { timeZone: isKnownTimeZone(timeZone) ? timeZone : "UTC" }).format(
    new Date(iso),
  );
}

interface EditCatalogFormProps {
  catalog: Catalog;
  onSaved: (catalog: Catalog) => void;
  onCancel: () => void;
}

export function EditCatalogForm({ catalog, onSaved, onCancel }: EditCatalogFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: EditCatalogFormSchema,
    defaultValues: {
      name: catalog.name,
      description: catalog.description,
      startDate: toDateInput(catalog.startDate, catalog.timeZone),
      endDate: toDateInput(catalog.endDate, catalog.timeZone),
      timeZone: catalog.timeZone,
      firstDayOfWeek: String(catalog.firstDayOfWeek),
    },
    mutation: useUpdateCatalog({ onSuccess: onSaved }),
    toVariables: (body) => ({ catalogId: catalog.id, body }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <CatalogFields form={form} />
      <FormActions submitLabel="Save changes" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

export function CreateCatalogForm({ onCreated, onCancel }: CreateCatalogFormProps) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CatalogFormSchema,
    defaultValues: emptyCatalogValues(),
    mutation: useCreateCatalog({ onSuccess: onCreated }),
    fields: FIELDS,
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <CatalogFields form={form} />
      <FormActions submitLabel="Create catalog" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}
