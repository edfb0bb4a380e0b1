import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import {
  formatDay,
  PERIOD_PRESET_LABELS,
  PERIOD_PRESETS,
  type PeriodChoice,
  type PeriodResult,
} from "../utils/period.ts";

interface PeriodPickerProps {
  choice: PeriodChoice;
  result: PeriodResult;
  /** The catalog's zone, where its days begin. */
  timeZone: string;
  onChange: (choice: PeriodChoice) => void;
}

/** The period an export covers: a preset or custom days (both included), checked as the API checks it. */
export function PeriodPicker({ choice, result, timeZone, onChange }: PeriodPickerProps) {
  const errors = "errors" in result ? result.errors : {};
  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">Period</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        <FormField label="Period">
          {(control) => (
            <Select
              {...control}
              value={choice.preset}
              onChange={(event) => onChange({ ...choice, preset: event.target.value as PeriodChoice["preset"] })}
            >
              {PERIOD_PRESETS.map((preset) => (
                <option key={preset} value={preset}>
                  {PERIOD_PRESET_LABELS[preset]}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        {choice.preset === "custom" && (
          <>
            <FormField label="First day" hint={`In ${timeZone}`} error={errors.from}>
              {(control) => (
                <Input
                  {...control}
                  type="date"
                  value={choice.from}
                  onChange={(event) => onChange({ ...choice, from: event.target.value })}
                />
              )}
            </FormField>
            <FormField label="Last day" hint="Included" error={errors.to}>
              {(control) => (
                <Input
                  {...control}
                  type="date"
                  value={choice.to}
                  onChange={(event) => onChange({ ...choice, to: event.target.value })}
                />
              )}
            </FormField>
          </>
        )}
      </div>
      {"period" in result ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="chosen-period">
          {formatDay(result.period.firstDay)} to {formatDay(result.period.lastDay)}, both included ({timeZone})
        </p>
      ) : (
        choice.preset !== "custom" && <p className="text-sm text-red-600 dark:text-red-400">{errors.to}</p>
      )}
    </fieldset>
  );
}
