import type { RunListQuery } from "@status/shared";

/** The runs page, filtered. */
export function runsPath(filters: Pick<Partial<RunListQuery>, "controlId" | "status" | "trigger"> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `/runs?${search}` : "/runs";
}
