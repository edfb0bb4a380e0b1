import { CreateMappingBodySchema, MappingRelationshipSchema } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Select, Textarea } from "@/components/ui/input.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useMapRequirement } from "../api/control-mappings.ts";
import { useFrameworks } from "../api/get-frameworks.ts";
import { useRequirementSearch } from "../api/search-requirements.ts";
import { RELATIONSHIP_LABELS } from "../utils/requirement-status.ts";

const RESULT_PAGE_SIZE = 20;

/** Search requirements across frameworks (or in one), pick one, say how the control relates to it and why. */
export function MapRequirementForm({ controlId }: { controlId: string }) {
  const [term, setTerm] = useState("");
  const [frameworkId, setFrameworkId] = useState("");
  const frameworksQuery = useFrameworks({ page: 1, pageSize: 200 });
  const searchQuery = useRequirementSearch(
    { page: 1, pageSize: RESULT_PAGE_SIZE, q: term, ...(frameworkId ? { frameworkId } : {}) },
    { enabled: term !== "" },
  );
  const mutation = useMapRequirement(controlId);
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CreateMappingBodySchema,
    defaultValues: { requirementId: "", relationship: "equivalent-to", rationale: "" },
    mutation,
    fields: ["requirementId", "relationship", "rationale"],
    // A blank rationale is no rationale.
    toVariables: (body) => ({ ...body, rationale: body.rationale || null }),
    onSubmitted: (_mapping, submitted) => submitted.reset(),
  });
  const { errors } = form.formState;
  const results = term ? (searchQuery.data?.items ?? []) : [];

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Map a requirement"
      className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h3 className="font-medium">Map a requirement</h3>
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-72">
          <SearchBox label="Search requirements" value={term} onSearch={setTerm} placeholder="Id or words, e.g. AC-2" />
        </div>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Framework</span>
          <Select value={frameworkId} onChange={(event) => setFrameworkId(event.target.value)}>
            <option value="">All frameworks</option>
            {frameworksQuery.data?.items.map((framework) => (
              <option key={framework.id} value={framework.id}>
                {framework.name} {framework.version}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {searchQuery.isFetching && term && <Spinner size="sm" label="Searching requirements" />}
      {searchQuery.isError && <Alert>{searchQuery.error.message}</Alert>}
      {term && searchQuery.data?.items.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No requirement matches “{term}”.</p>
      )}
      {results.length > 0 && (
        <fieldset aria-describedby={errors.requirementId ? "requirement-error" : undefined}>
          <legend className="mb-1 text-sm font-medium">Requirement</legend>
          <ul className="max-h-64 space-y-1 overflow-y-auto text-sm">
            {results.map((requirement) => (
              <li key={requirement.id}>
                <label className="flex items-start gap-2">
                  <input type="radio" value={requirement.id} {...form.register("requirementId")} className="mt-1" />
                  <span>
                    <span className="font-mono text-xs">{requirement.label ?? requirement.key}</span>{" "}
                    {requirement.title}{" "}
                    <span className="text-xs text-zinc-500">
                      ({requirement.frameworkName} {requirement.frameworkVersion})
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {errors.requirementId && (
        <p id="requirement-error" className="text-sm text-red-600 dark:text-red-400">
          Pick a requirement from the search results.
        </p>
      )}
      <div className="grid gap-3 sm:grid-cols-[16rem_1fr]">
        <FormField
          label="Relationship"
          hint="Read: this control … the requirement"
          error={errors.relationship?.message}
        >
          {(control) => (
            <Select {...control} {...form.register("relationship")}>
              {MappingRelationshipSchema.options.map((relationship) => (
                <option key={relationship} value={relationship}>
                  {RELATIONSHIP_LABELS[relationship]}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField label="Rationale" hint="Optional" error={errors.rationale?.message}>
          {(control) => <Textarea {...control} rows={2} {...form.register("rationale")} />}
        </FormField>
      </div>
      {formError && <Alert>{formError}</Alert>}
      <Button type="submit" variant="secondary" isLoading={isPending}>
        Map requirement
      </Button>
    </form>
  );
}
