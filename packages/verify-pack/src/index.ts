export * from "./chain-hash.ts";
export * from "./csv.ts";
export * from "./pack-format.ts";
export { verifyPack, type PackVerification } from "./verify.ts";
export { readZipEntries } from "./read-zip.ts";
