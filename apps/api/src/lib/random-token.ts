import { randomBytes } from "node:crypto";

/** A random, URL-safe token of `bytes` bytes: high-entropy, so its SHA-256 is enough to store (unlike a password). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
