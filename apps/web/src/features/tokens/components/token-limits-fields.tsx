import type { UseFormRegister } from "react-hook-form";
import { FormField } from "@/components/ui/form-field.tsx";
import { Select } from "@/components/ui/input.tsx";
import { useLimitOptions, type LimitOption } from "../api/get-limit-options.ts";
import type { TokenInputs } from "../utils/token-form.ts";
import type { TokenPrefill } from "../utils/token-prefill.ts";

/** Options plus any id a link asked for that is not among them (beyond the first page, say), so it stays chosen. */
function withRequested(options: LimitOption[], requested: string[], what: string): LimitOption[] {
  const known = new Set(options.map((option) => option.id));
  return [...options, ...requested.filter((id) => !known.has(id)).map((id) => ({ id, label: `${what} ${id}` }))];
}

/**
 * The optional resource limits of a scoped token: the catalogs (with all their controls) and the controls it may
 * reach. Nothing picked: no limit. A limited token is refused every list across catalogs.
 */
export function TokenLimitsFields({
  register,
  isScoped,
  prefill,
}: {
  register: UseFormRegister<TokenInputs>;
  isScoped: boolean;
  prefill: TokenPrefill | undefined;
}) {
  const options = useLimitOptions({ enabled: isScoped });
  if (!isScoped) {
    return (
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Tick a scope to limit the token to some catalogs or controls.
      </p>
    );
  }
  const catalogs = withRequested(options.data?.catalogs ?? [], prefill?.catalogIds ?? [], "Catalog");
  const controls = withRequested(options.data?.controls ?? [], prefill?.controlIds ?? [], "Control");
  const hint = options.isError
    ? "The list could not be loaded."
    : "Optional. Hold Ctrl (⌘ on a Mac) to pick several; pick none for no limit.";
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <FormField label="Limit to catalogs" hint={hint}>
        {(control) => (
          <Select {...control} multiple size={5} {...register("catalogIds")}>
            {catalogs.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField label="Limit to controls" hint={hint}>
        {(control) => (
          <Select {...control} multiple size={5} {...register("controlIds")}>
            {controls.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </Select>
        )}
      </FormField>
    </div>
  );
}
