// One canonical JSON for the whole product: the point chain's (see @status/verify-pack), so digests agree everywhere.
export { canonicalJson } from "@status/verify-pack/chain-hash";
