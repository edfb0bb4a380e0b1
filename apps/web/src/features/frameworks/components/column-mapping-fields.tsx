import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { MAPPING_FIELDS, type MappingField } from "../utils/import-file.ts";

export type ColumnChoice = Partial<Record<MappingField, string>>;

interface ColumnMappingFieldsProps {
  /** The sheet's header row when it could be read here (CSV); without it, column names are typed (XLSX). */
  headers: readonly string[] | null;
  value: ColumnChoice;
  onChange: (value: ColumnChoice) => void;
}

/** Which column holds which field; a required field left blank uses the API's default column name. */
export function ColumnMappingFields({ headers, value, onChange }: ColumnMappingFieldsProps) {
  const set = (field: MappingField, column: string) => onChange({ ...value, [field]: column || undefined });
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-sm font-medium">Columns</legend>
      {MAPPING_FIELDS.map(({ field, label, isRequired }) => (
        <FormField key={field} label={label} hint={isRequired ? `Default: the column named “${field}”` : "Optional"}>
          {(control) =>
            headers ? (
              <Select {...control} value={value[field] ?? ""} onChange={(event) => set(field, event.target.value)}>
                <option value="">{isRequired ? `Default (${field})` : "None"}</option>
                {headers.map((header) => (
                  <option key={header} value={header}>
                    {header}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                {...control}
                value={value[field] ?? ""}
                placeholder={isRequired ? field : ""}
                onChange={(event) => set(field, event.target.value)}
              />
            )
          }
        </FormField>
      ))}
    </fieldset>
  );
}
