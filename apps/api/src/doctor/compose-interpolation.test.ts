import { describe, expect, it } from "vitest";
import { composeDefaults, interpolateCompose } from "./compose-interpolation.ts";

describe("interpolateCompose (Compose's variable interpolation)", () => {
  const env = { SET: "value", EMPTY: "" };

  it("substitutes ${NAME} and $NAME, and an unset variable as empty", () => {
    expect(interpolateCompose("a: ${SET} $SET ${UNSET}.", env).text).toBe("a: value value .");
  });

  it("takes a default for unset (and, with the colon, empty) variables", () => {
    const { text } = interpolateCompose("${EMPTY:-d1} ${EMPTY-d2} ${UNSET:-d3} ${UNSET-d4} ${SET:-d5}", env);
    expect(text).toBe("d1  d3 d4 value");
  });

  it("takes the alternative for set (and, with the colon, non-empty) variables", () => {
    expect(interpolateCompose("${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}.", env).text).toBe("alt  alt .");
  });

  it("reports each required variable that is not set, with Compose's message, once", () => {
    const result = interpolateCompose(
      "a: ${EMPTY:?set EMPTY (a password)}\nb: ${EMPTY?fine when empty}\nc: ${UNSET?}\nd: ${EMPTY:?again}",
      env,
    );
    expect(result.missing).toEqual([
      { name: "EMPTY", message: "set EMPTY (a password)" },
      { name: "UNSET", message: "required variable UNSET is missing a value" },
    ]);
    expect(result.text).toBe("a: \nb: \nc: \nd: ");
  });

  it("keeps $$ as a literal dollar and leaves comment lines alone", () => {
    const result = interpolateCompose("  # ${COMMENTED:?never}\ncmd: echo $${HOME} $$SET", env);
    expect(result.text).toBe("  # ${COMMENTED:?never}\ncmd: echo ${HOME} $SET");
    expect(result.missing).toEqual([]);
    expect(result.referenced).toEqual([]);
  });

  it("lists the defaults of a text, which in the development file are its passwords", () => {
    expect([...composeDefaults("${A:-one} ${B-two} ${C:?no} ${D}")]).toEqual([
      ["A", "one"],
      ["B", "two"],
    ]);
  });
});
