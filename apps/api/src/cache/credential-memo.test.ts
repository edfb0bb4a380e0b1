import { describe, expect, it } from "vitest";
import { createCredentialMemo } from "./credential-memo.ts";

describe("the credential memo", () => {
  it("recalls a credential until its bound has passed, then asks again", () => {
    let now = 1_000;
    const memo = createCredentialMemo<string>(1_000, () => now);
    memo.remember("token:a", "alice");

    now += 999;
    expect(memo.recall("token:a")).toBe("alice");
    now += 1;
    expect(memo.recall("token:a")).toBeUndefined();
  });

  it("remembers nothing with a bound of 0", () => {
    const memo = createCredentialMemo<string>(0);
    memo.remember("token:a", "alice");
    expect(memo.recall("token:a")).toBeUndefined();
  });

  it("forgets the given credentials, or all of them", () => {
    const memo = createCredentialMemo<string>(60_000);
    memo.remember("session:1", "one");
    memo.remember("session:2", "two");
    memo.remember("token:a", "alice");

    memo.forget(["session:1"]);
    expect([memo.recall("session:1"), memo.recall("session:2"), memo.recall("token:a")]).toEqual([
      undefined,
      "two",
      "alice",
    ]);
    memo.forgetAll();
    expect([memo.recall("session:2"), memo.recall("token:a")]).toEqual([undefined, undefined]);
  });

  it("keeps at most 10,000 credentials, dropping the oldest first", () => {
    const memo = createCredentialMemo<number>(60_000);
    for (let index = 0; index <= 10_000; index += 1) memo.remember(`token:${index}`, index);
    expect(memo.recall("token:0")).toBeUndefined();
    expect(memo.recall("token:1")).toBe(1);
    expect(memo.recall("token:10000")).toBe(10_000);
  });
});
