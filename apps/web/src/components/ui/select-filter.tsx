import { Select } from "./input.tsx";

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

interface SelectFilterProps<T extends string> {
  label: string;
  value: T | undefined;
  options: readonly SelectOption<T>[];
  /**
   * The first option, meaning "no filter" (e.g. "All statuses"); left out where a value is always chosen, as in
   * sorting.
   */
  anyLabel?: string;
  /**
   * Receives one of the options' values, or undefined for the "any" option, so callers need not parse the raw string.
   */
  onChange: (value: T | undefined) => void;
  className?: string;
}

/** A labelled drop-down in a list's toolbar: a filter or the sort order. */
export function SelectFilter<T extends string>({
  label,
  value,
  options,
  anyLabel,
  onChange,
  className,
}: SelectFilterProps<T>) {
  return (
    <label className="block text-sm">
      <span className="mb-1 block font-medium">{label}</span>
      <Select
        value={value ?? ""}
        className={className}
        onChange={(event) => onChange(options.find((option) => option.value === event.target.value)?.value)}
      >
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** Options for a zod enum's values, shown as they are or through a label map. */
export function enumOptions<T extends string>(
  values: readonly T[],
  labels?: Readonly<Record<T, string>>,
): SelectOption<T>[] {
  return values.map((value) => ({ value, label: labels ? labels[value] : value }));
}
