import { readFileSync } from "node:fs";
import { verifyPack } from "./verify.ts";

// npm run verify-pack -- <pack.zip> [--public-key <file>]: exits 0 when the pack is intact, 1 when not, 2 on misuse.
const args = process.argv.slice(2);
const keyIndex = args.indexOf("--public-key");
const publicKeyFile = keyIndex >= 0 ? args[keyIndex + 1] : undefined;
const positional = args.filter((arg, index) => !arg.startsWith("--") && (keyIndex < 0 || index !== keyIndex + 1));
const zipPath = positional[0];
if (!zipPath || (keyIndex >= 0 && !publicKeyFile)) {
  console.error("usage: npm run verify-pack -- <pack.zip> [--public-key <file>]");
  process.exit(2);
}
try {
  const result = await verifyPack(zipPath, publicKeyFile ? { publicKeyPem: readFileSync(publicKeyFile, "utf8") } : {});
  for (const line of result.controlLines) console.log(line);
  for (const note of result.notes) console.log(`note: ${note}`);
  for (const problem of result.problems) console.error(`FAIL ${problem}`);
  console.log(result.isValid ? `${zipPath}: intact` : `${zipPath}: NOT intact (${result.problems.length} problem(s))`);
  process.exit(result.isValid ? 0 : 1);
} catch (error) {
  console.error(`${zipPath}: cannot be read as an evidence pack: ${(error as Error).message}`);
  process.exit(1);
}
