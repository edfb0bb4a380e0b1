import { z } from "zod";

/**
 * A control's state now, the one state every page shows first. `stale`: finalized and active, but the next window
 * after its newest point (in some scope) closed, and its grace passed, without a point — never counted as passing.
 * `not_evaluated`: no point yet, and none overdue. Otherwise the newest points' verdict over the control's scopes:
 * failing if one fails. Run and computation states (queued, error, pending…) are secondary to it.
 */
export const ControlStateValueSchema = z.enum(["passing", "failing", "stale", "not_evaluated", "not_applicable"]);
export type ControlStateValue = z.infer<typeof ControlStateValueSchema>;

/**
 * A filter on one scope value, `key:value` (e.g. `team:payments`): the scope's name, a colon, and the value as text.
 * Points match when their scope has that value; controls when one of their scope sets has it.
 */
export const ScopeFilterSchema = z
  .string()
  .max(200)
  .regex(/^[a-z][a-z0-9_]*:.+$/, "Use key:value, e.g. team:payments")
  .describe("key:value, e.g. team:payments");

/** `team:payments` → `{ key: "team", value: "payments" }` (the value may contain colons). */
export function splitScopeFilter(filter: string): { key: string; value: string } {
  const separator = filter.indexOf(":");
  return { key: filter.slice(0, separator), value: filter.slice(separator + 1) };
}
