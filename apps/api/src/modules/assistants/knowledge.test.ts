import { describe, expect, it } from "vitest";
import { toSearchQuery } from "./knowledge.ts";

describe("toSearchQuery", () => {
  it("ORs the distinct meaningful words of a question, lower-cased, without short ones or stop words", () => {
    expect(toSearchQuery("Which controls failed last month and WHY? Controls!")).toBe(
      "controls | failed | last | month",
    );
  });

  it("keeps stop words when nothing else is left", () => {
    expect(toSearchQuery("Why not?")).toBe("why | not");
  });

  it("lets no tsquery operator through", () => {
    expect(toSearchQuery("backup & !restore | (x:*) <-> 'quote'")).toBe("backup | restore | quote");
  });

  it("answers undefined when no word is left", () => {
    expect(toSearchQuery("?! a b")).toBeUndefined();
  });
});
