import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
// The pack's format and CSV writer only: the verifier's ZIP reader (CommonJS yauzl) stays out of the API's bundle.
import { csvLine } from "@status/verify-pack/csv";
import {
  EVIDENCE_COLUMNS,
  PACK_FILES,
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
  POINT_COLUMNS,
  type PackChain,
  type PackManifest,
  type PackSignature,
} from "@status/verify-pack/pack-format";
import type { AppDeps } from "../../deps.ts";
import { pointHash } from "../points/index.ts";
import { API_VERSION } from "../health/index.ts";
import {
  findChainSegmentStarts,
  findControlChainHead,
  listChainSegment,
  listSegmentComputations,
  listSegmentEvidences,
  type PackedPoint,
} from "./assessments.repository.ts";
import type { AssessedPeriod } from "./assessments.service.ts";
import { buildAssessmentPlan, buildPoam, writeAssessmentResults } from "./oscal-documents.ts";
import { renderReportHtml, renderReportPdf, type ReportAppendix } from "./period-report.ts";
import { loadPackSigningKey, signBytes } from "./signing-key.ts";

/** Where packs are kept: DATA_DIR/evidence-packs/<id>.zip. */
export function packDirectory(deps: Pick<AppDeps, "config">): string {
  return path.join(deps.config.database.dataDir, "evidence-packs");
}

/** A file of the pack being written, hashed as it is written. */
class PackFile {
  readonly hash = createHash("sha256");
  size = 0;
  private readonly stream: WriteStream;
  constructor(
    readonly name: string,
    readonly fullPath: string,
  ) {
    this.stream = createWriteStream(fullPath);
  }
  write(text: string): Promise<void> {
    return this.writeBytes(Buffer.from(text, "utf8"));
  }
  async writeBytes(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once("drain", () => resolve()));
  }
  close(): Promise<{ path: string; sha256: string; size: number }> {
    return new Promise((resolve, reject) => {
      this.stream.once("error", reject);
      this.stream.end(() => resolve({ path: this.name, sha256: this.hash.digest("hex"), size: this.size }));
    });
  }
}

type Progress = (progress: number, stage: string) => Promise<void>;

/**
 * Builds a pack: the chain segments of the period written row by row from Postgres into CSV and JSONL files (each
 * control's points, evidences and computations read in turn, so memory holds one control's segment at a time), the
 * OSCAL documents and the report, then the manifest with every file's SHA-256, its Ed25519 signature, and the ZIP
 * streamed from those files. Answers the ZIP's name, size and digests.
 */
export async function buildEvidencePack(
  deps: AppDeps,
  input: { packId: string; period: AssessedPeriod; progress: Progress },
): Promise<{ fileName: string; sizeBytes: number; sha256: string; manifestSha256: string; pointCount: number }> {
  const { data, findings } = input.period;
  const directory = packDirectory(deps);
  const parts = path.join(directory, `${input.packId}.parts`);
  await rm(parts, { recursive: true, force: true });
  await mkdir(path.join(parts, "oscal"), { recursive: true });
  const open = (name: string) => new PackFile(name, path.join(parts, name));
  const key = await loadPackSigningKey(deps);
  const chain = await writeChainFiles(deps, { data, open, progress: input.progress });
  const files = [...chain.files];
  await input.progress(70, "oscal");
  const results = open(PACK_FILES.assessmentResults);
  await writeAssessmentResults(data, findings, {
    planHref: "assessment-plan.json",
    write: (text) => results.write(text),
  });
  files.push(await results.close());
  files.push(await writeWhole(open(PACK_FILES.assessmentPlan), JSON.stringify(buildAssessmentPlan(data), null, 1)));
  files.push(await writeWhole(open(PACK_FILES.poam), JSON.stringify(buildPoam(data, findings), null, 1)));
  await input.progress(80, "report");
  const appendix: ReportAppendix = {
    chainLines: chain.lines,
    isChainIntact: chain.isIntact,
    publicKeyPem: key.publicKey.pem,
    keyId: key.publicKey.keyId,
  };
  files.push(await writeWhole(open(PACK_FILES.reportHtml), renderReportHtml(data, findings, appendix)));
  const pdf = open(PACK_FILES.reportPdf);
  await renderReportPdf(data, findings, appendix, hashingSink(pdf));
  files.push(await pdf.close());
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    generator: `STATUS ${API_VERSION}`,
    createdAt: data.generatedAt,
    catalog: { id: data.catalog.id, name: data.catalog.name },
    period: { from: data.from, to: data.to },
    files,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2), "utf8");
  const signature: PackSignature = {
    algorithm: "Ed25519",
    keyId: key.publicKey.keyId,
    publicKey: key.publicKeyDer.toString("base64"),
    signature: signBytes(key, manifestBytes),
  };
  await writeFile(path.join(parts, PACK_FILES.manifest), manifestBytes);
  await writeFile(path.join(parts, PACK_FILES.signature), JSON.stringify(signature, null, 2));
  await input.progress(90, "zip");
  const fileName = `${input.packId}.zip`;
  const zipped = await zipFiles(path.join(directory, fileName), parts, [
    PACK_FILES.manifest,
    PACK_FILES.signature,
    ...files.map((file) => file.path),
  ]);
  await rm(parts, { recursive: true, force: true });
  return {
    fileName,
    ...zipped,
    manifestSha256: createHash("sha256").update(manifestBytes).digest("hex"),
    pointCount: chain.pointCount,
  };
}

async function writeWhole(file: PackFile, text: string) {
  await file.write(text);
  return file.close();
}

/** A writable that hashes into a pack file (pdfkit pipes into it). */
function hashingSink(file: PackFile): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      file.writeBytes(chunk).then(() => callback(), callback);
    },
  });
}

async function writeChainFiles(
  deps: AppDeps,
  input: { data: AssessedPeriod["data"]; open: (name: string) => PackFile; progress: Progress },
) {
  const { data } = input;
  const starts = await findChainSegmentStarts(deps.db, { catalogId: data.catalog.id, from: data.from, to: data.to });
  const points = input.open(PACK_FILES.points);
  const evidences = input.open(PACK_FILES.evidences);
  const computations = input.open(PACK_FILES.computations);
  await points.write(csvLine(POINT_COLUMNS));
  await evidences.write(csvLine(EVIDENCE_COLUMNS));
  const chain: PackChain = { controls: [] };
  const lines: string[] = [];
  let isIntact = true;
  let pointCount = 0;
  for (const [index, control] of data.controls.entries()) {
    const fromSeq = starts.get(control.id);
    const segment = fromSeq
      ? await listChainSegment(deps.db, { controlId: control.id, fromSeq, from: data.from, to: data.to })
      : [];
    for (const point of segment) await points.write(pointLine(point, control.name));
    if (fromSeq) {
      for (const evidence of await listSegmentEvidences(deps.db, { controlId: control.id, fromSeq }))
        await evidences.write(
          csvLine([
            evidence.computationId,
            evidence.position,
            evidence.key,
            JSON.stringify(evidence.value ?? null),
            evidence.result,
            evidence.from,
            evidence.to,
          ]),
        );
      for (const computation of await listSegmentComputations(deps.db, { controlId: control.id, fromSeq }))
        await computations.write(`${JSON.stringify(computation)}\n`);
    }
    const head = await findControlChainHead(deps.db, control.id);
    const broken = segment.filter((point, position) => !isLinkIntact(point, segment[position - 1]));
    isIntact &&= broken.length === 0;
    lines.push(
      `${broken.length === 0 ? "intact" : "BROKEN"}: ${control.name}: ${segment.length} point(s) re-hashed, head ${head.head ?? "none"} (chain length ${head.length})`,
    );
    chain.controls.push({
      controlId: control.id,
      controlName: control.name,
      hashes: segment.map((point) => point.hash),
      head: segment.at(-1)?.hash ?? head.head,
      length: head.length,
    });
    pointCount += segment.length;
    await input.progress(5 + Math.round(((index + 1) / Math.max(data.controls.length, 1)) * 60), "points");
  }
  const files = [await points.close(), await evidences.close(), await computations.close()];
  files.push(await writeWhole(input.open(PACK_FILES.chain), JSON.stringify(chain, null, 1)));
  return { files, lines, isIntact, pointCount };
}

function isLinkIntact(point: PackedPoint, previous: PackedPoint | undefined): boolean {
  if (previous && point.prevHash !== previous.hash) return false;
  try {
    return pointHash(point.prevHash, point) === point.hash;
  } catch {
    return false;
  }
}

function pointLine(point: PackedPoint, controlName: string): string {
  return csvLine([
    point.id,
    point.controlId,
    controlName,
    point.catalogId,
    point.source,
    JSON.stringify(point.scope),
    point.scopeKey,
    point.windowStart,
    point.windowEnd,
    point.value,
    point.threshold,
    point.result,
    point.computationId,
    point.evidenceDigest,
    point.controlVersion,
    point.versionDigest,
    point.hashScheme,
    point.createdAt,
    point.prevHash,
    point.hash,
    point.isInPeriod,
  ]);
}

/** Streams the files into a ZIP on disk (never whole in memory) and answers its size and SHA-256. */
async function zipFiles(
  zipPath: string,
  directory: string,
  names: string[],
): Promise<{ sizeBytes: number; sha256: string }> {
  const zip = new yazl.ZipFile();
  for (const name of names)
    zip.addReadStream(createReadStream(path.join(directory, name)), name, { mtime: new Date(0) });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  const hash = createHash("sha256");
  await pipeline(createReadStream(zipPath), hash);
  return { sizeBytes: (await stat(zipPath)).size, sha256: hash.digest("hex") };
}
