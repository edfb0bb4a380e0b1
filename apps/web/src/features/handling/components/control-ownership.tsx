import type { Control, Role, UserRef } from "@status/shared";
import { hasRole } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Select } from "@/components/ui/input.tsx";
import { usePeople } from "../api/get-people.ts";
import { addWatcher, clearOwner, removeWatcher, setOwner, useOwnershipChange } from "../api/ownership.ts";

export const personName = (person: UserRef) => person.displayName ?? person.username;

interface ControlOwnershipProps {
  control: Control;
  viewer: { id: string; role: Role };
  /** False while the control (or its catalog) is archived: its owner and watchers are read-only then. */
  isWritable: boolean;
  /** Refreshes the control after a change (the page owns its query). */
  onChanged: () => void;
}

function OwnerPicker({ control, onChanged }: Pick<ControlOwnershipProps, "control" | "onChanged">) {
  const peopleQuery = usePeople("");
  const change = useOwnershipChange(
    (userId: string) => (userId ? setOwner(control.id, userId) : clearOwner(control.id)),
    onChanged,
  );
  const people = peopleQuery.data ?? (control.owner ? [{ ...control.owner, role: "USER" as const }] : []);
  return (
    <label className="inline-flex items-center gap-2">
      <span className="font-medium">Owner</span>
      <Select
        aria-label="Owner"
        className="w-56"
        value={control.owner?.id ?? ""}
        disabled={change.isPending}
        onChange={(event) => change.mutate(event.target.value)}
      >
        <option value="">No owner</option>
        {people.map((person) => (
          <option key={person.id} value={person.id}>
            {personName(person)}
          </option>
        ))}
      </Select>
      {change.isError && <Alert className="ml-2">{change.error.message}</Alert>}
    </label>
  );
}

/** The control header's owner (a picker for DEVELOPER and above) and watchers, with Watch / Unwatch for the viewer. */
export function ControlOwnership({ control, viewer, isWritable, onChanged }: ControlOwnershipProps) {
  const isWatching = control.watchers.some((watcher) => watcher.id === viewer.id);
  const toggleWatch = useOwnershipChange(
    () => (isWatching ? removeWatcher(control.id, viewer.id) : addWatcher(control.id, viewer.id)),
    onChanged,
  );
  const canPickOwner = isWritable && hasRole(viewer.role, "DEVELOPER");
  return (
    <section aria-label="Ownership" className="mb-6 flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
      {canPickOwner ? (
        <OwnerPicker control={control} onChanged={onChanged} />
      ) : (
        <p>
          <span className="font-medium">Owner</span> {control.owner ? personName(control.owner) : "No owner"}
        </p>
      )}
      <p className="text-zinc-600 dark:text-zinc-400">
        {control.watchers.length === 0
          ? "Nobody watches this control"
          : `Watched by ${control.watchers.map(personName).join(", ")}`}
      </p>
      {isWritable && (
        <Button
          variant="secondary"
          size="sm"
          isLoading={toggleWatch.isPending}
          onClick={() => toggleWatch.mutate(undefined)}
        >
          {isWatching ? "Unwatch" : "Watch"}
        </Button>
      )}
      {toggleWatch.isError && <Alert>{toggleWatch.error.message}</Alert>}
    </section>
  );
}
