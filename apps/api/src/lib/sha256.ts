import { hash } from "node:crypto";

/** SHA-256 of a text, as hex (one-shot: no Hash stream object per call, which every authenticated request paid). */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}
