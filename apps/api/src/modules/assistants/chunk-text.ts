/** Chunks stay under this many characters: small enough to rank well, big enough to carry a whole rule or table row. */
export const CHUNK_MAX_CHARACTERS = 1200;

/** Splits text at the last whitespace before `max` characters (or at `max` when a word is longer). */
function splitLong(paragraph: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = paragraph;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(" ", max);
    const at = cut > max / 2 ? cut : max;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Splits extracted text into chunks for full-text search: paragraphs (blank-line separated) are packed together up
 * to the size limit, and a paragraph longer than the limit is split between words.
 */
export function chunkText(text: string, max = CHUNK_MAX_CHARACTERS): string[] {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/[ \t]+/g, " ").trim())
    .filter(Boolean);
  const chunks: string[] = [];
  let current = "";
  for (const paragraph of paragraphs.flatMap((paragraph) => splitLong(paragraph, max))) {
    if (current && current.length + 2 + paragraph.length > max) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) chunks.push(current);
  return chunks;
}
