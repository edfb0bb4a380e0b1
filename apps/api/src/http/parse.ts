import type { z } from "zod";
import { ValidationError } from "../errors.ts";

export type InputLocation = "body" | "query" | "params";

/** Parses request input with a shared schema: typed data, or a ValidationError listing every issue with its path. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, location: InputLocation): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: [location, ...issue.path.map(String)].join("."),
      message: describeIssue(issue),
    })),
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
  return issue.message;
}
