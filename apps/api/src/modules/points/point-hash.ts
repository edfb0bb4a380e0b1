// The one hash function of the point chains lives in the dependency-free @status/verify-pack package, so the offline
// verifier of evidence packs runs exactly this code; the points module stays its owner and its only writer's entry.
export {
  CURRENT_HASH_SCHEME,
  evidenceDigest,
  isPointHashIntact,
  pointHash,
  type HashablePoint,
  type HashedPointFields,
  type SchemeTwoFields,
} from "@status/verify-pack/chain-hash";
