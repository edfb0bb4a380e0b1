import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "./secret-box.ts";

describe("secret box", () => {
  const key = randomBytes(32);

  it("round-trips a secret through a versioned blob that does not contain it", () => {
    const blob = encryptSecret(key, "sk-test-1234567890");
    expect(blob).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(blob).not.toContain("sk-test");
    expect(decryptSecret(key, blob)).toBe("sk-test-1234567890");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret(key, "same")).not.toBe(encryptSecret(key, "same"));
  });

  it("refuses another key, an edited ciphertext and an unknown version", () => {
    const blob = encryptSecret(key, "sk-test");
    expect(() => decryptSecret(randomBytes(32), blob)).toThrow(SecretDecryptionError);
    const parts = blob.split(":");
    const edited = [...parts.slice(0, 3), Buffer.from("sk-tesu").toString("base64url")].join(":");
    expect(() => decryptSecret(key, edited)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, blob.replace(/^v1/, "v9"))).toThrow(SecretDecryptionError);
  });
});
