import type { FrameworkDetail } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { useRequirementSearch } from "../api/search-requirements.ts";
import type { RequirementPick } from "../utils/requirement-selection.ts";

const MODES = [
  { value: "all", label: "The whole framework", hint: "e.g. a baseline: every requirement, enhancements included" },
  { value: "groups", label: "Whole groups", hint: "Every requirement of the groups picked, enhancements included" },
  { value: "requirements", label: "Single requirements", hint: "Only the requirements picked" },
] as const;

function GroupChoice({
  framework,
  pick,
  onChange,
}: {
  framework: FrameworkDetail;
  pick: RequirementPick;
  onChange: (pick: RequirementPick) => void;
}) {
  const toggle = (groupId: string, isChecked: boolean) =>
    onChange({
      ...pick,
      groupIds: isChecked ? [...pick.groupIds, groupId] : pick.groupIds.filter((id) => id !== groupId),
    });
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium">Groups</legend>
      <ul className="grid max-h-72 gap-1 overflow-y-auto text-sm sm:grid-cols-2">
        {framework.groups.map((group) => (
          <li key={group.id} className={group.parentId ? "pl-5" : undefined}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={pick.groupIds.includes(group.id)}
                onChange={(event) => toggle(group.id, event.target.checked)}
              />
              {group.title} ({group.requirementCount})
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function SingleChoice({
  framework,
  pick,
  onChange,
}: {
  framework: FrameworkDetail;
  pick: RequirementPick;
  onChange: (pick: RequirementPick) => void;
}) {
  const [term, setTerm] = useState("");
  const searchQuery = useRequirementSearch(
    { page: 1, pageSize: 50, q: term, frameworkId: framework.id },
    { enabled: term !== "" },
  );
  const pickedIds = new Set(pick.requirements.map((requirement) => requirement.id));
  const toggle = (requirement: RequirementPick["requirements"][number], isChecked: boolean) =>
    onChange({
      ...pick,
      requirements: isChecked
        ? [...pick.requirements, requirement]
        : pick.requirements.filter((picked) => picked.id !== requirement.id),
    });
  const shown = [
    ...pick.requirements,
    ...(term ? (searchQuery.data?.items ?? []).filter((item) => !pickedIds.has(item.id)) : []),
  ];
  return (
    <div className="space-y-2">
      <div className="w-72">
        <SearchBox label="Search requirements" value={term} onSearch={setTerm} />
      </div>
      {searchQuery.isFetching && term && <Spinner size="sm" label="Searching requirements" />}
      {searchQuery.isError && <Alert>{searchQuery.error.message}</Alert>}
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Requirements ({pick.requirements.length} picked)</legend>
        <ul className="max-h-72 space-y-1 overflow-y-auto text-sm">
          {shown.map((requirement) => (
            <li key={requirement.id}>
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={pickedIds.has(requirement.id)}
                  onChange={(event) => toggle(requirement, event.target.checked)}
                />
                <span>
                  <span className="font-mono text-xs">{requirement.label ?? requirement.key}</span> {requirement.title}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}

/** Which requirements of a framework become draft controls. */
export function RequirementPicker({
  framework,
  pick,
  onChange,
}: {
  framework: FrameworkDetail;
  pick: RequirementPick;
  onChange: (pick: RequirementPick) => void;
}) {
  return (
    <div className="space-y-4">
      <fieldset className="space-y-1">
        <legend className="mb-1 text-sm font-medium">Start from</legend>
        {MODES.map((mode) => (
          <label key={mode.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="pick-mode"
              className="mt-1"
              checked={pick.mode === mode.value}
              onChange={() => onChange({ ...pick, mode: mode.value })}
            />
            <span>
              {mode.label}
              <span className="block text-xs text-zinc-500">{mode.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {pick.mode === "groups" && <GroupChoice framework={framework} pick={pick} onChange={onChange} />}
      {pick.mode === "requirements" && <SingleChoice framework={framework} pick={pick} onChange={onChange} />}
    </div>
  );
}
