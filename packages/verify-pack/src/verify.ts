import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import { evidenceDigest, pointHash, type DigestedEvidence, type HashablePoint, type HashScheme } from "./chain-hash.ts";
import { CsvRowParser } from "./csv.ts";
import {
  EVIDENCE_COLUMNS,
  PACK_FILES,
  POINT_COLUMNS,
  type PackChain,
  type PackManifest,
  type PackSignature,
} from "./pack-format.ts";
import { openZip, type ZipReader } from "./read-zip.ts";

/** What the verifier found: one line per control, and every problem naming its file (and point). */
export interface PackVerification {
  isValid: boolean;
  controlLines: string[];
  problems: string[];
  notes: string[];
}

type PackPoint = HashablePoint & { prevHash: string | null; hash: string; controlName: string };

/**
 * Verifies an evidence pack without a server or database: every file against the manifest's SHA-256, the Ed25519
 * signature over the manifest (with the given public key, else the one the pack carries), and every point's chain hash
 * recomputed from points.csv and the digest of its evidences in evidences.csv, with the points module's own function.
 * The CSV files are read as streams while they are hashed, so memory holds the chain's hashes and one digest per
 * computation, not the pack: a year of points for a large catalog verifies on a laptop.
 */
export async function verifyPack(zipPath: string, options: { publicKeyPem?: string } = {}): Promise<PackVerification> {
  const zip = await openZip(zipPath);
  try {
    return await verifyOpenPack(zip, options);
  } finally {
    zip.close();
  }
}

async function verifyOpenPack(zip: ZipReader, options: { publicKeyPem?: string }): Promise<PackVerification> {
  const result: PackVerification = { isValid: true, controlLines: [], problems: [], notes: [] };
  if (!zip.has(PACK_FILES.manifest)) return fail(result, `${PACK_FILES.manifest}: missing`);
  const manifestBytes = await zip.read(PACK_FILES.manifest);
  const manifest = JSON.parse(manifestBytes.toString("utf8")) as PackManifest;
  checkSignature(
    result,
    manifestBytes,
    zip.has(PACK_FILES.signature) ? await zip.read(PACK_FILES.signature) : undefined,
    options.publicKeyPem,
  );
  if (!zip.has(PACK_FILES.points) || !zip.has(PACK_FILES.evidences) || !zip.has(PACK_FILES.chain)) {
    await checkFiles(result, manifest, zip, new Map());
    return fail(result, "points.csv, evidences.csv or chain.json: missing");
  }
  const digests = new Map<string, string>();
  const chainBytes = await zip.read(PACK_FILES.chain);
  digests.set(PACK_FILES.chain, sha256(chainBytes));
  const chain = JSON.parse(chainBytes.toString("utf8")) as PackChain;
  const evidences = await readEvidenceDigests(zip, digests);
  const chains = new ChainChecker(chain, evidences.byComputation);
  result.problems.push(...evidences.problems);
  digests.set(
    PACK_FILES.points,
    await readCsv(zip, PACK_FILES.points, POINT_COLUMNS, (row) => chains.add(toPoint(row))),
  );
  await checkFiles(result, manifest, zip, digests);
  chains.finish(result);
  result.isValid = result.problems.length === 0;
  return result;
}

function fail(result: PackVerification, problem: string): PackVerification {
  result.problems.push(problem);
  result.isValid = false;
  return result;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Every file against the manifest; the files already read for the chain check come with their digests. */
async function checkFiles(
  result: PackVerification,
  manifest: PackManifest,
  zip: ZipReader,
  known: Map<string, string>,
): Promise<void> {
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const file of manifest.files) {
    if (!zip.has(file.path)) {
      result.problems.push(`${file.path}: listed in the manifest but missing from the pack`);
      continue;
    }
    const digest = known.get(file.path) ?? (await streamDigest(zip, file.path));
    if (digest !== file.sha256)
      result.problems.push(`${file.path}: its SHA-256 does not match the manifest (the file was changed)`);
  }
  for (const path of zip.paths)
    if (!listed.has(path) && path !== PACK_FILES.manifest && path !== PACK_FILES.signature)
      result.problems.push(`${path}: in the pack but not in the manifest`);
}

async function streamDigest(zip: ZipReader, path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of await zip.stream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function checkSignature(
  result: PackVerification,
  manifestBytes: Buffer,
  signatureBytes: Buffer | undefined,
  publicKeyPem: string | undefined,
): void {
  if (!signatureBytes) {
    result.problems.push(`${PACK_FILES.signature}: missing`);
    return;
  }
  const signature = JSON.parse(signatureBytes.toString("utf8")) as PackSignature;
  let key: KeyObject;
  if (publicKeyPem) key = createPublicKey(publicKeyPem);
  else {
    key = createPublicKey({ key: Buffer.from(signature.publicKey, "base64"), format: "der", type: "spki" });
    result.notes.push(
      `signature checked with the public key inside the pack (${signature.keyId}); pass --public-key to check it is the instance's`,
    );
  }
  const isValid = verifySignature(null, manifestBytes, key, Buffer.from(signature.signature, "base64"));
  if (!isValid)
    result.problems.push(`${PACK_FILES.signature}: the signature does not match manifest.json with this key`);
}

/** Streams a CSV file of the pack row by row (header checked) and answers the SHA-256 of its bytes. */
async function readCsv<Column extends string>(
  zip: ZipReader,
  file: string,
  columns: readonly Column[],
  onRow: (row: Record<Column, string>) => void,
): Promise<string> {
  const hash = createHash("sha256");
  const decoder = new StringDecoder("utf8");
  let isHeader = true;
  const parser = new CsvRowParser((cells) => {
    if (isHeader) {
      isHeader = false;
      if (cells.join(",") !== columns.join(",")) throw new Error(`${file}: unexpected header ${cells.join(",")}`);
      return;
    }
    onRow(Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? ""])) as Record<Column, string>);
  });
  for await (const chunk of await zip.stream(file)) {
    hash.update(chunk as Buffer);
    parser.write(decoder.write(chunk as Buffer));
  }
  parser.write(decoder.end());
  parser.end();
  if (isHeader) throw new Error(`${file}: unexpected header `);
  return hash.digest("hex");
}

const orNull = (cell: string) => (cell === "" ? null : cell);

function toPoint(row: Record<(typeof POINT_COLUMNS)[number], string>): PackPoint {
  return {
    id: row.id,
    controlId: row.control_id,
    controlName: row.control_name,
    catalogId: row.catalog_id,
    source: row.source,
    scope: JSON.parse(row.scope) as Record<string, unknown>,
    scopeKey: row.scope_key,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    value: orNull(row.value),
    threshold: row.threshold,
    result: row.result,
    computationId: orNull(row.computation_id),
    evidenceDigest: orNull(row.evidence_digest),
    controlVersion: row.control_version === "" ? null : Number(row.control_version),
    versionDigest: orNull(row.version_digest),
    hashScheme: Number(row.hash_scheme) as HashScheme,
    createdAt: row.created_at,
    prevHash: orNull(row.prev_hash),
    hash: row.hash,
  };
}

/**
 * The digest of each computation's evidences, read from evidences.csv as a stream. The pack writes a computation's
 * evidences together (in its point's place); a computation whose rows are split apart is reported rather than guessed.
 */
async function readEvidenceDigests(
  zip: ZipReader,
  digests: Map<string, string>,
): Promise<{ byComputation: Map<string, string>; problems: string[] }> {
  const byComputation = new Map<string, string>();
  const problems: string[] = [];
  let current: { computationId: string; evidences: DigestedEvidence[] } | null = null;
  const close = () => {
    if (!current) return;
    if (byComputation.has(current.computationId))
      problems.push(
        `evidences.csv: the evidences of computation ${current.computationId} are not together (moved rows)`,
      );
    byComputation.set(current.computationId, evidenceDigest(current.evidences));
    current = null;
  };
  const sha = await readCsv(zip, PACK_FILES.evidences, EVIDENCE_COLUMNS, (row) => {
    if (current?.computationId !== row.computation_id) {
      close();
      current = { computationId: row.computation_id, evidences: [] };
    }
    current.evidences.push({
      position: Number(row.position),
      key: row.key,
      value: JSON.parse(row.value) as unknown,
      result: row.result,
      from: orNull(row.from),
      to: orNull(row.to),
    });
  });
  close();
  digests.set(PACK_FILES.evidences, sha);
  return { byComputation, problems };
}

/** Checks each control's chain point by point as points.csv streams past, against chain.json and the evidences. */
class ChainChecker {
  private readonly controls = new Map<
    string,
    {
      entry: PackChain["controls"][number];
      count: number;
      previous: string | null | undefined;
      isOutOfOrder: boolean;
      problems: string[];
    }
  >();

  constructor(
    chain: PackChain,
    private readonly evidenceDigests: Map<string, string>,
  ) {
    for (const entry of chain.controls)
      this.controls.set(entry.controlId, { entry, count: 0, previous: undefined, isOutOfOrder: false, problems: [] });
  }

  add(point: PackPoint): void {
    // Points of a control chain.json does not list are outside the chain check (their file digest still covers them).
    const control = this.controls.get(point.controlId);
    if (!control) return;
    const { entry, problems } = control;
    const where = `points.csv: point ${point.id} (control ${entry.controlName})`;
    if (control.previous !== undefined && point.prevHash !== control.previous)
      problems.push(`${where}: does not link to the point before it (a point was removed or reordered)`);
    let hash: string | null = null;
    try {
      hash = pointHash(point.prevHash, point);
    } catch (error) {
      problems.push(`${where}: cannot be hashed (${(error as Error).message})`);
    }
    if (hash !== null && hash !== point.hash) problems.push(`${where}: its fields no longer match its hash (edited)`);
    const own = point.computationId ? this.evidenceDigests.get(point.computationId) : undefined;
    if (own !== undefined && point.evidenceDigest && own !== point.evidenceDigest)
      problems.push(
        `evidences.csv: the evidences of point ${point.id} (computation ${point.computationId}) were changed`,
      );
    if (entry.hashes[control.count] !== point.hash) control.isOutOfOrder = true;
    control.count += 1;
    control.previous = point.hash;
  }

  /** One line per control in chain.json's order, and the problems of each. */
  finish(result: PackVerification): void {
    for (const control of this.controls.values()) {
      const { entry, problems } = control;
      if (control.isOutOfOrder || control.count !== entry.hashes.length)
        problems.push(
          `chain.json: the hashes of control ${entry.controlName} differ from points.csv (points removed or reordered)`,
        );
      if (entry.hashes.length > 0 && entry.head !== entry.hashes.at(-1))
        problems.push(`chain.json: control ${entry.controlName} ends before its head at export (points removed)`);
      result.problems.push(...problems);
      result.controlLines.push(
        `${problems.length === 0 ? "OK  " : "FAIL"} ${entry.controlName} (${entry.controlId}): ${control.count} point(s), head ${entry.head ?? "none"}`,
      );
    }
  }
}
