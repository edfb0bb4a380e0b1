import type { z } from "zod";
import type { ProblemIssue } from "@status/shared";
import { ValidationError } from "../errors.ts";

export type InputLocation = "body" | "query" | "params";

/** Deeper input is refused before zod sees it: zod and JSON.stringify recurse and would overflow the stack (a 500). */
const MAX_INPUT_DEPTH = 64;
const TOO_DEEP = `Nested more than ${MAX_INPUT_DEPTH} levels deep`;
// Postgres stores neither U+0000 nor an unpaired surrogate in text or jsonb; refuse them here rather than fail there.
// eslint-disable-next-line no-control-regex -- finding U+0000 is the point
const UNSTORABLE_TEXT = /\u0000|\p{Surrogate}/u;

/** Parses request input with a shared schema: typed data, or a ValidationError listing every issue with its path. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, location: InputLocation): z.infer<T> {
  const inputIssues = checkStorable(input, [location], 0);
  if (inputIssues.some((issue) => issue.message === TOO_DEEP)) throw new ValidationError(inputIssues);
  const result = schema.safeParse(input);
  const schemaIssues = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: [location, ...issue.path.map(String)].join("."),
        message: describeIssue(issue),
      }));
  if (!result.success || inputIssues.length > 0) throw new ValidationError([...schemaIssues, ...inputIssues]);
  return result.data;
}

/** Issues with input that no schema could accept safely: too deep, or text the database cannot store. */
function checkStorable(value: unknown, path: string[], depth: number): ProblemIssue[] {
  if (typeof value === "string")
    return UNSTORABLE_TEXT.test(value)
      ? [{ path: path.join("."), message: "Must not contain U+0000 or unpaired surrogates" }]
      : [];
  if (typeof value !== "object" || value === null) return [];
  if (depth >= MAX_INPUT_DEPTH) return [{ path: path.join("."), message: TOO_DEEP }];
  return Object.entries(value).flatMap(([key, child]) =>
    UNSTORABLE_TEXT.test(key)
      ? [{ path: [...path, key].join("."), message: "Must not contain U+0000 or unpaired surrogates" }]
      : checkStorable(child, [...path, key], depth + 1),
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
  return issue.message;
}
