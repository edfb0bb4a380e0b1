// Words too common to say what a question is about; the 'simple' text-search configuration keeps every word, so
// without this a passage full of "the" and "and" would outrank the one that answers.
const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my " +
    "no not of on or our so than that the their them then there these they this to us was we were what when where which " +
    "who why will with would you your about all any also each just more most other over some such only own same very"
  ).split(" "),
);

/**
 * Builds a `to_tsquery('simple', …)` text from free text: its words (letters and digits only, so no tsquery
 * operator can come through), lower-cased, deduplicated, without stop words, OR-ed. A question such as "which
 * controls failed last month?" then finds passages that share any of its words, ranked by how many and how often.
 */
export function toSearchQuery(
  text: string,
  options: { minLength?: number; maxWords?: number } = {},
): string | undefined {
  const minLength = options.minLength ?? 3;
  const words = [
    ...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= minLength)),
  ];
  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  const chosen = meaningful.length > 0 ? meaningful : words;
  if (chosen.length === 0) return undefined;
  return chosen.slice(0, options.maxWords ?? 30).join(" | ");
}
