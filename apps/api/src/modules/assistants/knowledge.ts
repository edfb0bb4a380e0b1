/**
 * Builds a `to_tsquery('simple', …)` text from free text: its words (letters and digits only, so no tsquery
 * operator can come through), lower-cased, deduplicated, OR-ed. A question such as "which controls failed last
 * month?" then finds passages that share any of its words, ranked by how many and how often.
 */
export function toSearchQuery(text: string, options: { minLength?: number; maxWords?: number } = {}): string | undefined {
  const minLength = options.minLength ?? 3;
  const words = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= minLength))];
  if (words.length === 0) return undefined;
  return words.slice(0, options.maxWords ?? 30).join(" | ");
}
