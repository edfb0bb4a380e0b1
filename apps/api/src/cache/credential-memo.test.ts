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

  it("checks a lapsed credential once for every request that asks while the check runs", async () => {
    const memo = createCredentialMemo<string>(1_000);
    let loads = 0;
    let finish!: (value: string) => void;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const asked = [memo.resolve("token:a", load), memo.resolve("token:a", load), memo.resolve("token:a", load)];
    finish("alice");
    expect(await Promise.all(asked)).toEqual(["alice", "alice", "alice"]);
    expect(loads).toBe(1);
    expect(await memo.resolve("token:a", load)).toBe("alice");
    expect(loads).toBe(1);
  });

  it("remembers no unknown credential, and shares no failed check", async () => {
    const memo = createCredentialMemo<string>(1_000);
    expect(await memo.resolve("token:a", () => Promise.resolve(undefined))).toBeUndefined();
    await expect(memo.resolve("token:a", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await memo.resolve("token:a", () => Promise.resolve("alice"))).toBe("alice");
  });

  it("neither remembers nor shares a check that was running when the credential was forgotten", async () => {
    const memo = createCredentialMemo<string>(60_000);
    let finishStale!: (value: string) => void;
    const stale = memo.resolve("session:1", () => new Promise<string>((resolve) => (finishStale = resolve)));
    // The session is revoked while its check (which read it as open) is still running.
    memo.forget(["session:1"]);
    let fresh = 0;
    const after = memo.resolve("session:1", () => {
      fresh += 1;
      return Promise.resolve(undefined);
    });
    finishStale("open");
    expect(await stale).toBe("open");
    expect(await after).toBeUndefined();
    expect(fresh).toBe(1);
    expect(memo.recall("session:1")).toBeUndefined();

    const beforeAll = memo.resolve("token:a", () => Promise.resolve("alice"));
    memo.forgetAll();
    await beforeAll;
    expect(memo.recall("token:a")).toBeUndefined();
  });
});
