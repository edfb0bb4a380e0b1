import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Transform, Writable, type Readable } from "node:stream";
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
import type { AssessmentPeriodQuery } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { pointHash } from "../points/index.ts";
import { API_VERSION } from "../health/index.ts";
import {
  findChainSegmentStarts,
  findControlChainHead,
  listChainSegment,
  listSegmentComputations,
  listSegmentEvidences,
  type AssessedPoint,
  type PackedPoint,
} from "./assessments.repository.ts";
import { assessCatalogPeriodByControl, type AssessedPeriod } from "./assessments.service.ts";
import { buildAssessmentPlan, buildPoam, observationJson, writeAssessmentResults } from "./oscal-documents.ts";
import { renderReportPdf, reportHtmlParts, type ReportAppendix } from "./period-report.ts";
import { loadPackSigningKey, signBytes } from "./signing-key.ts";

/** Where packs are kept: DATA_DIR/evidence-packs/<id>.zip. */
export function packDirectory(deps: Pick<AppDeps, "config">): string {
  return path.join(deps.config.database.dataDir, "evidence-packs");
}

/** The results' observations while the pack is built: a part of assessment-results.json, not a file of the pack. */
const OBSERVATIONS_PART = "observations.part";
/** Text is handed to the disk in chunks of about this size: a pack writes millions of short CSV and JSON lines. */
const CHUNK_CHARS = 256 * 1024;
/**
 * Deflate level of the ZIP's entries. Packs are CSV and JSON that compress well at any level; the fastest keeps the
 * build's time down (the compression runs in the thread pool, beside the next file being written).
 */
const ZIP_COMPRESSION_LEVEL = 1;

/** A file of the pack being written, hashed as it is written. */
class PackFile {
  readonly hash = createHash("sha256");
  size = 0;
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  constructor(
    readonly name: string,
    readonly fullPath: string,
  ) {
    this.stream = createWriteStream(fullPath);
  }
  /** Buffers the text; resolves at once unless a full chunk went to the disk. */
  write(text: string): Promise<void> | undefined {
    this.pending.push(text);
    this.pendingChars += text.length;
    return this.pendingChars >= CHUNK_CHARS ? this.flush() : undefined;
  }
  private flush(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    return this.put(Buffer.from(text, "utf8"));
  }
  async writeBytes(bytes: Buffer): Promise<void> {
    await this.flush();
    await this.put(bytes);
  }
  private async put(bytes: Buffer): Promise<void> {
    this.hash.update(bytes);
    this.size += bytes.length;
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once("drain", () => resolve()));
  }
  async close(): Promise<PackManifest["files"][number]> {
    await this.flush();
    return new Promise((resolve, reject) => {
      this.stream.once("error", reject);
      this.stream.end(() => resolve({ path: this.name, sha256: this.hash.digest("hex"), size: this.size }));
    });
  }
}

/**
 * The pack's ZIP, written while the pack is built: each file joins it as soon as it is complete, so deflating one
 * overlaps writing the next, and the ZIP is hashed as it reaches the disk (never whole in memory).
 */
function openZip(zipPath: string) {
  const zip = new yazl.ZipFile();
  const hash = createHash("sha256");
  let sizeBytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipeline(zip.outputStream, hashing, createWriteStream(zipPath));
  // Awaited by finish(); a failed build aborts it, and nobody waits for that rejection.
  written.catch(() => undefined);
  return {
    add(name: string, fullPath: string) {
      zip.addReadStream(createReadStream(fullPath), name, {
        mtime: new Date(0),
        compressionLevel: ZIP_COMPRESSION_LEVEL,
      });
    },
    async finish(): Promise<{ sizeBytes: number; sha256: string }> {
      zip.end();
      await written;
      return { sizeBytes, sha256: hash.digest("hex") };
    },
    abort() {
      (zip.outputStream as Readable).destroy(new Error("the pack's build failed"));
    },
  };
}

type Progress = (progress: number, stage: string) => Promise<void>;

/**
 * Builds a pack: the period assessed control by control (each control's observations written as its points are
 * read), the chain segments of the period written row by row from Postgres into CSV and JSONL files (each
 * control's points, evidences and computations read in turn, so memory holds one control's segment at a time), the
 * OSCAL documents and the report, then the manifest with every file's SHA-256, its Ed25519 signature, and the ZIP
 * streamed from those files. Answers the ZIP's name, size and digests.
 */
export async function buildEvidencePack(
  deps: AppDeps,
  input: { packId: string; catalogId: string; period: AssessmentPeriodQuery; progress: Progress },
): Promise<{ fileName: string; sizeBytes: number; sha256: string; manifestSha256: string; pointCount: number }> {
  const directory = packDirectory(deps);
  const parts = path.join(directory, `${input.packId}.parts`);
  await rm(parts, { recursive: true, force: true });
  await mkdir(path.join(parts, "oscal"), { recursive: true });
  const fileName = `${input.packId}.zip`;
  const zip = openZip(path.join(directory, fileName));
  const files: PackManifest["files"] = [];
  const open = (name: string) => new PackFile(name, path.join(parts, name));
  /** Closes a file, lists it in the manifest and hands it to the ZIP. */
  const add = async (file: PackFile) => {
    files.push(await file.close());
    zip.add(file.name, file.fullPath);
  };
  try {
    const key = await loadPackSigningKey(deps);
    // The observations of the results, written as each control's points are read; copied into the results below.
    const observations = open(OBSERVATIONS_PART);
    let separator = "";
    const { data, findings } = await assessCatalogPeriodByControl(deps, {
      catalogId: input.catalogId,
      period: input.period,
      onControl: async (control) => {
        for (const finding of control.findings)
          for (const point of finding.points as AssessedPoint[]) {
            await observations.write(`${separator}${observationJson(control.data, finding, point)}`);
            separator = ",";
          }
        const share = (control.index + 1) / control.count;
        await input.progress(2 + Math.round(share * 28), "assessment");
      },
    });
    await observations.close();
    const chain = await writeChainFiles(deps, { data, open, add, progress: input.progress });
    await input.progress(70, "oscal");
    const results = open(PACK_FILES.assessmentResults);
    await writeAssessmentResults(data, findings, {
      planHref: "assessment-plan.json",
      write: async (text) => results.write(text),
      writeObservations: async () => {
        for await (const chunk of createReadStream(observations.fullPath)) await results.writeBytes(chunk as Buffer);
      },
    });
    await add(results);
    await add(await written(open(PACK_FILES.assessmentPlan), JSON.stringify(buildAssessmentPlan(data), null, 1)));
    await add(await written(open(PACK_FILES.poam), JSON.stringify(buildPoam(data, findings), null, 1)));
    await input.progress(80, "report");
    const appendix: ReportAppendix = {
      chainLines: chain.lines,
      isChainIntact: chain.isIntact,
      publicKeyPem: key.publicKey.pem,
      keyId: key.publicKey.keyId,
    };
    const html = open(PACK_FILES.reportHtml);
    for (const part of reportHtmlParts(data, findings, appendix)) await html.write(part);
    await add(html);
    const pdf = open(PACK_FILES.reportPdf);
    await renderReportPdf(data, findings, appendix, hashingSink(pdf));
    await add(pdf);
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
    zip.add(PACK_FILES.manifest, path.join(parts, PACK_FILES.manifest));
    zip.add(PACK_FILES.signature, path.join(parts, PACK_FILES.signature));
    await input.progress(90, "zip");
    const zipped = await zip.finish();
    return {
      fileName,
      ...zipped,
      manifestSha256: createHash("sha256").update(manifestBytes).digest("hex"),
      pointCount: chain.pointCount,
    };
  } catch (error) {
    zip.abort();
    await rm(path.join(directory, fileName), { force: true });
    throw error;
  } finally {
    await rm(parts, { recursive: true, force: true });
  }
}

/** A pack file holding `text`, written and ready to close. */
async function written(file: PackFile, text: string): Promise<PackFile> {
  await file.write(text);
  return file;
}

/** A writable that hashes into a pack file (pdfkit pipes into it). */
function hashingSink(file: PackFile): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      file.writeBytes(chunk).then(() => callback(), callback);
    },
  });
}

type Segment = Awaited<ReturnType<typeof readSegment>>;

/** One control's chain segment of the period with its evidences and computations, and its head now. */
async function readSegment(
  deps: AppDeps,
  input: { controlId: string; fromSeq: string | undefined; from: string; to: string },
) {
  const { controlId, fromSeq } = input;
  const [points, evidences, computations, head] = await Promise.all([
    fromSeq ? listChainSegment(deps.db, { controlId, fromSeq, from: input.from, to: input.to }) : [],
    fromSeq ? listSegmentEvidences(deps.db, { controlId, fromSeq }) : [],
    fromSeq ? listSegmentComputations(deps.db, { controlId, fromSeq }) : [],
    findControlChainHead(deps.db, controlId),
  ]);
  return { points, evidences, computations, head };
}

/**
 * Writes points.csv, evidences.csv, computations.jsonl and chain.json control by control. The next control's segment
 * is read while this one's is written, so Postgres and this process work side by side; memory holds two segments.
 */
async function writeChainFiles(
  deps: AppDeps,
  input: {
    data: AssessedPeriod["data"];
    open: (name: string) => PackFile;
    add: (file: PackFile) => Promise<void>;
    progress: Progress;
  },
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
  const read = (index: number): Promise<Segment> | undefined => {
    const control = data.controls[index];
    if (!control) return undefined;
    const reading = readSegment(deps, {
      controlId: control.id,
      fromSeq: starts.get(control.id),
      from: data.from,
      to: data.to,
    });
    // Awaited in the next round; should this round fail first, its rejection is not left unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = read(0);
  for (const [index, control] of data.controls.entries()) {
    const { points: segment, evidences: segmentEvidences, computations: segmentComputations, head } = (await next)!;
    next = read(index + 1);
    for (const point of segment) await points.write(pointLine(point, control.name));
    for (const evidence of segmentEvidences)
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
    for (const computation of segmentComputations) await computations.write(`${JSON.stringify(computation)}\n`);
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
    await input.progress(30 + Math.round(((index + 1) / Math.max(data.controls.length, 1)) * 40), "points");
  }
  for (const file of [points, evidences, computations]) await input.add(file);
  await input.add(await written(input.open(PACK_FILES.chain), JSON.stringify(chain, null, 1)));
  return { lines, isIntact, pointCount };
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
