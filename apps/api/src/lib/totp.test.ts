import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32, generateTotpSecret, hotp, matchTotpStep, otpauthUri, totpCode } from "./totp.ts";

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's key length.
const SHA1_SEED = Buffer.from("12345678901234567890");
const SHA256_SEED = Buffer.from("12345678901234567890123456789012");
const SHA512_SEED = Buffer.from("1234567890123456789012345678901234567890123456789012345678901234");
const RFC6238_VECTORS: [number, string, string, string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

describe("TOTP (RFC 6238)", () => {
  it.each(RFC6238_VECTORS)(
    "at %i s gives the RFC's codes for SHA-1, SHA-256 and SHA-512",
    (time, sha1, sha256, sha512) => {
      expect(totpCode(SHA1_SEED, time, 8, "sha1")).toBe(sha1);
      expect(totpCode(SHA256_SEED, time, 8, "sha256")).toBe(sha256);
      expect(totpCode(SHA512_SEED, time, 8, "sha512")).toBe(sha512);
    },
  );

  it("gives RFC 4226's HOTP codes (Appendix D)", () => {
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    expect(expected.map((_, counter) => hotp(SHA1_SEED, counter))).toEqual(expected);
  });

  it("matches a code of the previous, current or next step, and nothing further away", () => {
    const now = 1_700_000_000;
    const step = Math.floor(now / 30);

    expect(matchTotpStep(SHA1_SEED, totpCode(SHA1_SEED, now - 30), now)).toBe(step - 1);
    expect(matchTotpStep(SHA1_SEED, totpCode(SHA1_SEED, now), now)).toBe(step);
    expect(matchTotpStep(SHA1_SEED, totpCode(SHA1_SEED, now + 30), now)).toBe(step + 1);
    expect(matchTotpStep(SHA1_SEED, totpCode(SHA1_SEED, now - 60), now)).toBeNull();
    expect(matchTotpStep(SHA1_SEED, totpCode(SHA1_SEED, now + 60), now)).toBeNull();
  });

  it("refuses anything but six digits", () => {
    expect(matchTotpStep(SHA1_SEED, "12345", 59)).toBeNull();
    expect(matchTotpStep(SHA1_SEED, "abcdef", 59)).toBeNull();
    expect(matchTotpStep(SHA1_SEED, "1234567", 59)).toBeNull();
  });

  it("round-trips base32 (RFC 4648 test vectors) and makes 160-bit secrets", () => {
    expect(encodeBase32(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(decodeBase32("MZXW6YTBOI").toString()).toBe("foobar");
    expect(decodeBase32("mzxw 6ytb oi======").toString()).toBe("foobar");
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(secret)).toHaveLength(20);
  });

  it("writes the otpauth URI authenticator apps scan", () => {
    expect(otpauthUri({ issuer: "STATUS", account: "dana", secret: "MZXW6YTBOI" })).toBe(
      "otpauth://totp/STATUS:dana?secret=MZXW6YTBOI&issuer=STATUS&algorithm=SHA1&digits=6&period=30",
    );
  });
});
