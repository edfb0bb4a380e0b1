import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { z } from "zod";
import { ApiError } from "./api-client.ts";

/** Zod's generic wording for an empty required string reads poorly in a form. */
export const formErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "too_small" && issue.origin === "string" && issue.minimum === 1) return "Required";
  return undefined;
};

/**
 * Puts each `errors[]` entry of a problem on the form field it names (`body.name` → `name`).
 * Returns what could not be placed on a field, for a message at the top of the form.
 */
export function applyProblemToForm<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  const unplaced: string[] = [];
  for (const issue of error.errors) {
    const field = issue.path.replace(/^body\./, "") as Path<T>;
    if (fields.includes(field)) setError(field, { type: "server", message: issue.message });
    else unplaced.push(issue.message);
  }
  if (error.errors.length > 0 && unplaced.length === 0) return null;
  return [error.detail ?? error.title, ...unplaced].join(" ");
}
