import { describe, expect, it } from "vitest";
import { uuidV5 } from "./uuid-v5.ts";

describe("uuidV5", () => {
  it("matches the RFC 9562 example for www.example.com in the DNS namespace", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("gives the same UUID for the same name and different ones for different names", () => {
    expect(uuidV5("framework:1")).toBe(uuidV5("framework:1"));
    expect(uuidV5("framework:1")).not.toBe(uuidV5("framework:2"));
  });
});
