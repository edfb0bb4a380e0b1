import { describe, expect, it } from "vitest";
import { toSearchQuery } from "./knowledge.ts";

describe("toSearchQuery", () => {
  it("ORs the distinct words of a question, lower-cased, without short ones", () => {
    expect(toSearchQuery("Which controls failed last month and WHY? Controls!")).toBe("which | controls | failed | last | month | and | why");
  });

  it("lets no tsquery operator through", () => {
    expect(toSearchQuery("backup & !restore | (x:*) <-> 'quote'")).toBe("backup | restore | quote");
  });

  it("answers undefined when no word is left", () => {
    expect(toSearchQuery("?! a b")).toBeUndefined();
  });
});
