import type { Mashup, MashupInput } from "@status/shared";
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select, Textarea } from "@/components/ui/input.tsx";
import type { ControlFormValues } from "../utils/control-form-values.ts";
import { formatParamValue } from "../utils/control-params.ts";

function defaultHint(input: MashupInput): string {
  const shown = formatParamValue(input.default);
  return shown === "" ? "Blank: the flow decides." : `Blank: the flow's default, ${shown}.`;
}

interface MashupParamFieldsProps {
  mashup: Mashup;
  register: UseFormRegister<ControlFormValues>;
  errors: FieldErrors<Record<string, string>> | undefined;
}

/** One field per input the mashup declares, typed after the flow's environment variable. */
export function MashupParamFields({ mashup, register, errors }: MashupParamFieldsProps) {
  if (mashup.inputs.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">{mashup.name} declares no inputs.</p>;
  }
  return (
    <fieldset className="space-y-4 rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">Parameters of {mashup.name}</legend>
      {mashup.inputs.map((input) => {
        const label = `${input.name} (${input.type})`;
        const error = errors?.[input.name]?.message;
        if (input.type === "secret") {
          return (
            <p key={input.name} className="text-sm text-zinc-600 dark:text-zinc-400">
              <code>{input.name}</code> is a secret, kept in Node-RED's credentials; it is set in the flow, not here.
            </p>
          );
        }
        if (input.type === "boolean") {
          return (
            <FormField key={input.name} label={label} hint={defaultHint(input)} error={error}>
              {(control) => (
                <Select {...control} {...register(`inputs.${input.name}`)}>
                  <option value="">Flow default</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </Select>
              )}
            </FormField>
          );
        }
        if (input.type === "json") {
          return (
            <FormField key={input.name} label={label} hint={defaultHint(input)} error={error}>
              {(control) => (
                <Textarea {...control} rows={2} className="font-mono" {...register(`inputs.${input.name}`)} />
              )}
            </FormField>
          );
        }
        return (
          <FormField key={input.name} label={label} hint={defaultHint(input)} error={error}>
            {(control) => (
              <Input
                {...control}
                inputMode={input.type === "number" ? "decimal" : undefined}
                {...register(`inputs.${input.name}`)}
              />
            )}
          </FormField>
        );
      })}
    </fieldset>
  );
}
