import { createHash } from "node:crypto";

/** STATUS's namespace for name-based UUIDs (a random v4, fixed once). */
export const STATUS_UUID_NAMESPACE = "6f1c3c1e-8d0a-4a8e-9a55-2b7f0f3d8c41";

const namespaceBytesOf = (namespace: string) => Buffer.from(namespace.replaceAll("-", ""), "hex");
const STATUS_NAMESPACE_BYTES = namespaceBytesOf(STATUS_UUID_NAMESPACE);

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1): the same name always gives the same UUID, so documents exported
 * twice from the same data are identical and diff cleanly.
 */
export function uuidV5(name: string, namespace = STATUS_UUID_NAMESPACE): string {
  // Exports derive one per observation (hundreds of thousands a year): STATUS's namespace is decoded once.
  const namespaceBytes = namespace === STATUS_UUID_NAMESPACE ? STATUS_NAMESPACE_BYTES : namespaceBytesOf(namespace);
  const hash = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
