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
  listChainPage,
  listPageComputations,
  listPageEvidences,
  type AssessedPoint,
  type PackedEvidence,
  type PackedPoint,
  type PagedPoint,
} from "./assessments.repository.ts";
import { chainJsonWriter } from "./chain-json.ts";
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
/** Text is handed to the disk in chunks of this many bytes: a pack writes millions of short CSV and JSON lines. */
const CHUNK_BYTES = 256 * 1024;
/**
 * Deflate level of the ZIP's entries. Packs are CSV and JSON that compress well at any level; the fastest keeps the
 * build's time down (the compression runs in the thread pool, beside the next file being written).
 */
const ZIP_COMPRESSION_LEVEL = 1;

/**
 * A file of the pack being written, hashed as it is written. Text is encoded into a byte chunk as it comes, so each
 * short line is garbage at once: lines queued as strings until a chunk is full outlive the young generation, and a
 * year of them would be promoted and collected only by the old generation's rare, large collections.
 */
class PackFile {
  readonly hash = createHash("sha256");
  size = 0;
  private readonly stream: WriteStream;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  constructor(
    readonly name: string,
    readonly fullPath: string,
  ) {
    this.stream = createWriteStream(fullPath);
  }
  /** Encodes the text; resolves at once unless a full chunk went to the disk. */
  write(text: string): Promise<void> | undefined {
    // A UTF-16 unit is at most 3 bytes of UTF-8: below that bound the text fits without measuring it.
    if (this.used + text.length * 3 <= CHUNK_BYTES) {
      this.used += this.chunk.write(text, this.used, "utf8");
      return undefined;
    }
    // Flushed and written in this order synchronously (put hashes and queues before it awaits), so the file keeps
    // the order of the calls.
    const flushed = this.flush();
    if (text.length * 3 > CHUNK_BYTES) return settle(flushed, this.put(Buffer.from(text, "utf8")));
    this.used += this.chunk.write(text, this.used, "utf8");
    return flushed;
  }
  private flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const bytes = this.chunk.subarray(0, this.used);
    // A new chunk: the stream holds the full one until it reaches the disk.
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return this.put(bytes);
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

async function settle(flushed: Promise<void> | undefined, written: Promise<void>): Promise<void> {
  await Promise.all(flushed ? [flushed, written] : [written]);
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

/**
 * Points of a chain segment read per page, with their evidences and computations: memory holds a page or two, however
 * long a control's chain in the period is (a year of hourly windows over many scopes is hundreds of thousands). Small
 * enough that a page is written before the young generation is collected twice: rows that outlive that are promoted,
 * and a high promotion rate makes V8 grow the old generation to a multiple of the live set before collecting it.
 */
const SEGMENT_PAGE_POINTS = 250;

interface SegmentPage {
  points: PagedPoint[];
  evidences: PackedEvidence[];
  computations: Record<string, unknown>[];
}

async function readSegmentPage(
  deps: AppDeps,
  input: { controlId: string; fromSeq: string; from: string; to: string },
): Promise<SegmentPage> {
  const points = await listChainPage(deps.db, { ...input, limit: SEGMENT_PAGE_POINTS });
  if (points.length === 0) return { points, evidences: [], computations: [] };
  const range = { controlId: input.controlId, fromSeq: points[0]!.seq, toSeq: points.at(-1)!.seq };
  const [evidences, computations] = await Promise.all([
    listPageEvidences(deps.db, range),
    listPageComputations(deps.db, range),
  ]);
  return { points, evidences, computations };
}

/**
 * A control's chain segment of the period, from its first point in the period to its head, page by page. The next page
 * is read while this one is written, so Postgres and this process work side by side.
 */
async function* segmentPages(
  deps: AppDeps,
  input: { controlId: string; fromSeq: string | undefined; from: string; to: string },
): AsyncGenerator<SegmentPage> {
  const read = (fromSeq: string) => {
    const reading = readSegmentPage(deps, { ...input, fromSeq });
    // Awaited in the next round; should the writing fail first, its rejection is not left unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = input.fromSeq === undefined ? undefined : read(input.fromSeq);
  while (next) {
    const page = await next;
    const last = page.points.at(-1);
    next = last && page.points.length === SEGMENT_PAGE_POINTS ? read((BigInt(last.seq) + 1n).toString()) : undefined;
    if (page.points.length > 0) yield page;
  }
}

/**
 * Writes points.csv, evidences.csv, computations.jsonl and chain.json control by control and page by page (see
 * segmentPages), each point's link re-hashed as it passes.
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
  const chainFile = input.open(PACK_FILES.chain);
  const chain = chainJsonWriter((text) => chainFile.write(text));
  await points.write(csvLine(POINT_COLUMNS));
  await evidences.write(csvLine(EVIDENCE_COLUMNS));
  const lines: string[] = [];
  let isIntact = true;
  let pointCount = 0;
  for (const [index, control] of data.controls.entries()) {
    const head = await findControlChainHead(deps.db, control.id);
    await chain.startControl({ controlId: control.id, controlName: control.name });
    let previous: PackedPoint | undefined;
    let brokenCount = 0;
    let segmentLength = 0;
    for await (const page of segmentPages(deps, {
      controlId: control.id,
      fromSeq: starts.get(control.id),
      from: data.from,
      to: data.to,
    })) {
      for (const point of page.points) {
        await points.write(pointLine(point, control.name));
        await chain.hash(point.hash);
        if (!isLinkIntact(point, previous)) brokenCount += 1;
        previous = point;
      }
      for (const evidence of page.evidences)
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
      for (const computation of page.computations) await computations.write(`${JSON.stringify(computation)}\n`);
      segmentLength += page.points.length;
    }
    await chain.endControl({ head: previous?.hash ?? head.head, length: head.length });
    isIntact &&= brokenCount === 0;
    lines.push(
      `${brokenCount === 0 ? "intact" : "BROKEN"}: ${control.name}: ${segmentLength} point(s) re-hashed, head ${head.head ?? "none"} (chain length ${head.length})`,
    );
    pointCount += segmentLength;
    await input.progress(30 + Math.round(((index + 1) / Math.max(data.controls.length, 1)) * 40), "points");
  }
  await chain.end();
  for (const file of [points, evidences, computations, chainFile]) await input.add(file);
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
