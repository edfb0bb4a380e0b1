import { describe, expect, it } from "vitest";
import { chunkText } from "./chunk-text.ts";

describe("chunkText", () => {
  it("packs short paragraphs together up to the limit", () => {
    expect(chunkText("one\n\ntwo\n\nthree", 10)).toEqual(["one\n\ntwo", "three"]);
  });

  it("splits a long paragraph between words, never losing text", () => {
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`);
    const chunks = chunkText(words.join(" "), 50);
    expect(chunks.every((chunk) => chunk.length <= 50)).toBe(true);
    expect(chunks.join(" ").split(/\s+/)).toEqual(words);
  });

  it("normalises line endings and drops blank paragraphs", () => {
    expect(chunkText("a\r\n\r\n\r\n  \r\nb", 100)).toEqual(["a\n\nb"]);
    expect(chunkText("   \n\n  ")).toEqual([]);
  });
});
