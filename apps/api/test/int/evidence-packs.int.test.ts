import { execFile } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { EvidencePackSchema, type EvidencePack } from "@status/shared";
import { parseCsv, readZipEntries, verifyPack } from "@status/verify-pack";
import { extractText } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { validateOscal } from "../../src/modules/frameworks/index.ts";
import { createAuditedCatalog, type AuditedCatalog } from "../auditor-fixtures.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { getForEvents } from "../sse.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, "../../../..");
const TSX = path.join(REPO, "packages/verify-pack/node_modules/.bin/tsx");
const CLI = path.join(REPO, "packages/verify-pack/src/cli.ts");

/** Evidence packs: built by a worker, streamed as a signed ZIP, and verified offline by `npm run verify-pack`. */
describe("evidence packs and the offline verifier", () => {
  let app: TestApp;
  let developer: TestUser;
  let reader: TestUser;
  let audited: AuditedCatalog;
  let directory: string;
  let packPath: string;
  let entries: Map<string, Buffer>;
  let publicKeyPath: string;

  async function waitForPack(id: string): Promise<EvidencePack> {
    const deadline = Date.now() + 25_000;
    for (;;) {
      const pack = EvidencePackSchema.parse(
        (await request(app, "GET", `/api/v1/evidence-packs/${id}`, { token: reader.token })).body,
      );
      if (pack.status === "done" || pack.status === "failed") return pack;
      if (Date.now() > deadline) throw new Error(`pack not done in time: ${JSON.stringify(pack)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function download(id: string, name: string): Promise<string> {
    const response = await fetch(`${app.baseUrl}/api/v1/evidence-packs/${id}/download`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const file = path.join(directory, name);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return file;
  }

  /** A copy of the pack with some entries replaced (the others copied byte for byte). */
  async function tampered(name: string, change: (entries: Map<string, Buffer>) => void): Promise<string> {
    const copy = new Map(entries);
    change(copy);
    const zip = new yazl.ZipFile();
    for (const [entry, bytes] of copy) zip.addBuffer(bytes, entry);
    zip.end();
    const file = path.join(directory, name);
    await pipeline(zip.outputStream, createWriteStream(file));
    return file;
  }

  function editLines(text: Buffer, edit: (lines: string[]) => string[]): Buffer {
    const lines = text.toString("utf8").split("\r\n");
    return Buffer.from(edit(lines).join("\r\n"), "utf8");
  }

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    audited = await createAuditedCatalog(app, developer.token);
    directory = await mkdtemp(path.join(tmpdir(), "status-packs-"));
    const started = await request(app, "POST", `/api/v1/catalogs/${audited.catalog.id}/evidence-packs`, {
      token: developer.token,
      body: { from: audited.from, to: audited.to },
    });
    expect(started.status, started.text).toBe(202);
    const pack = await waitForPack(started.body.id);
    expect(pack.status, pack.error ?? "").toBe("done");
    packPath = await download(pack.id, "pack.zip");
    entries = await readZipEntries(packPath);
    const key = await request(app, "GET", "/api/v1/evidence-packs/public-key", { token: reader.token });
    publicKeyPath = path.join(directory, "public-key.pem");
    await writeFile(publicKeyPath, key.body.pem);
  }, 90_000);
  afterAll(() => app?.close());

  it("holds every file, listed with its SHA-256 in a manifest naming the catalog and period", () => {
    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8"));
    expect(manifest.catalog).toEqual({ id: audited.catalog.id, name: audited.catalog.name });
    expect(manifest.period).toEqual({ from: audited.from, to: audited.to });
    expect(manifest.generator).toMatch(/^STATUS /);
    expect(manifest.files.map((file: { path: string }) => file.path).sort()).toEqual(
      [
        "chain.json",
        "computations.jsonl",
        "evidences.csv",
        "oscal/assessment-plan.json",
        "oscal/assessment-results.json",
        "oscal/poam.json",
        "points.csv",
        "report.html",
        "report.pdf",
      ].sort(),
    );
    expect([...entries.keys()]).toContain("signature.json");
  });

  it("carries the period's points, their evidences and computations, chains and schema-valid OSCAL", async () => {
    const points = parseCsv(entries.get("points.csv")!.toString("utf8"));
    expect(points).toHaveLength(1 + 9);
    const { rows } = await app.deps.db.query<{ count: string }>(
      "select count(*) from evidences e join points p on p.computation_id = e.computation_id where p.catalog_id = $1",
      [audited.catalog.id],
    );
    expect(parseCsv(entries.get("evidences.csv")!.toString("utf8"))).toHaveLength(1 + Number(rows[0]!.count));
    expect(entries.get("computations.jsonl")!.toString("utf8").trim().split("\n")).toHaveLength(9);
    const chain = JSON.parse(entries.get("chain.json")!.toString("utf8"));
    const head = await app.deps.db.query<{ head: string }>("select chain_head as head from controls where id = $1", [
      audited.failing.id,
    ]);
    expect(chain.controls.find((control: { controlId: string }) => control.controlId === audited.failing.id).head).toBe(
      head.rows[0]!.head,
    );
    expect(
      validateOscal("assessment-results", JSON.parse(entries.get("oscal/assessment-results.json")!.toString())),
    ).toEqual([]);
    expect(validateOscal("poam", JSON.parse(entries.get("oscal/poam.json")!.toString()))).toEqual([]);
  });

  it("has a PDF report naming the catalog and its controls, and the HTML report", async () => {
    const { text } = await extractText(new Uint8Array(entries.get("report.pdf")!), { mergePages: true });
    expect(text).toContain(audited.catalog.name);
    expect(text).toContain(audited.passing.name);
    const html = entries.get("report.html")!.toString("utf8");
    expect(html).toContain(audited.failing.name);
    expect(html).toContain("<svg");
  });

  it("is accepted by the verifier, with the instance's public key too", async () => {
    const result = await verifyPack(packPath, {
      publicKeyPem: (await import("node:fs")).readFileSync(publicKeyPath, "utf8"),
    });
    expect(result.problems).toEqual([]);
    expect(result.controlLines).toHaveLength(2);
    const cli = await run(TSX, [CLI, packPath, "--public-key", publicKeyPath]);
    expect(cli.stdout).toContain(`OK   ${audited.passing.name}`);
    expect(cli.stdout).toContain("intact");
  });

  it("rejects a changed evidence value, naming the file and the point", async () => {
    const evidences = parseCsv(entries.get("evidences.csv")!.toString("utf8"));
    const computationId = evidences[1]![0]!;
    const file = await tampered("changed-evidence.zip", (copy) =>
      copy.set(
        "evidences.csv",
        editLines(copy.get("evidences.csv")!, (lines) =>
          lines.map((line, index) =>
            index === 1 ? line.replace(/,(pass|fail),/, (match) => (match === ",pass," ? ",fail," : ",pass,")) : line,
          ),
        ),
      ),
    );
    const result = await verifyPack(file);
    expect(result.isValid).toBe(false);
    expect(result.problems).toContain("evidences.csv: its SHA-256 does not match the manifest (the file was changed)");
    expect(result.problems.some((problem) => problem.includes(`computation ${computationId}`))).toBe(true);
    const cli = await run(TSX, [CLI, file]).catch((error: { code: number; stderr: string }) => error);
    expect((cli as { code: number }).code).toBe(1);
    expect((cli as { stderr: string }).stderr).toContain("evidences.csv");
  });

  it("rejects a removed point and reordered points, naming the point", async () => {
    const removed = await tampered("removed.zip", (copy) =>
      copy.set(
        "points.csv",
        editLines(copy.get("points.csv")!, (lines) => lines.filter((_line, index) => index !== 5)),
      ),
    );
    const removedResult = await verifyPack(removed);
    expect(removedResult.isValid).toBe(false);
    expect(removedResult.problems.some((problem) => /points\.csv: point .* does not link/.test(problem))).toBe(true);
    const reordered = await tampered("reordered.zip", (copy) =>
      copy.set(
        "points.csv",
        editLines(copy.get("points.csv")!, (lines) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]),
      ),
    );
    const reorderedResult = await verifyPack(reordered);
    expect(reorderedResult.isValid).toBe(false);
    expect(reorderedResult.problems.some((problem) => /points\.csv: point .* does not link/.test(problem))).toBe(true);
  });

  it("rejects a swapped signature, and a manifest re-signed with another key against the instance's key", async () => {
    const other = generateKeyPairSync("ed25519");
    const forged = (manifest: Buffer) => ({
      algorithm: "Ed25519",
      keyId: "forged",
      publicKey: other.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
      signature: sign(null, manifest, other.privateKey).toString("base64"),
    });
    const swapped = await tampered("swapped.zip", (copy) => {
      const signature = JSON.parse(copy.get("signature.json")!.toString());
      signature.signature = forged(Buffer.from("another manifest")).signature;
      copy.set("signature.json", Buffer.from(JSON.stringify(signature)));
    });
    expect((await verifyPack(swapped)).problems).toContain(
      "signature.json: the signature does not match manifest.json with this key",
    );
    const resigned = await tampered("resigned.zip", (copy) =>
      copy.set("signature.json", Buffer.from(JSON.stringify(forged(copy.get("manifest.json")!)))),
    );
    const cli = await run(TSX, [CLI, resigned, "--public-key", publicKeyPath]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((cli as { code: number }).code).toBe(1);
    expect((cli as { stderr: string }).stderr).toContain("signature.json");
  });

  it("lists the catalog's packs with their digests; only developers start one; unfinished packs do not download", async () => {
    const list = await request(app, "GET", `/api/v1/catalogs/${audited.catalog.id}/evidence-packs`, {
      token: reader.token,
    });
    expect(list.body.items[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const refused = await request(app, "POST", `/api/v1/catalogs/${audited.catalog.id}/evidence-packs`, {
      token: reader.token,
      body: { from: audited.from, to: audited.to },
    });
    expectProblem(refused, 403, "forbidden");
    const { rows } = await app.deps.db.query<{ id: string }>(
      `insert into evidence_packs (catalog_id, period_from, period_to, status, attempts, heartbeat_at)
       values ($1, $2, $3, 'running', 1, now()) returning id`,
      [audited.catalog.id, audited.from, audited.to],
    );
    expectProblem(
      await request(app, "GET", `/api/v1/evidence-packs/${rows[0]!.id}/download`, { token: reader.token }),
      409,
      "evidence_pack_not_ready",
    );
    await app.deps.db.query("update evidence_packs set status = 'failed', completed_at = now() where id = $1", [
      rows[0]!.id,
    ]);
  });

  it("streams the pack's progress over SSE (event: pack, the GET body) from its current state until done", async () => {
    const started = await request(app, "POST", `/api/v1/catalogs/${audited.catalog.id}/evidence-packs`, {
      token: developer.token,
      body: { from: audited.from, to: audited.to },
    });
    expect(started.status).toBe(202);
    const stream = await getForEvents(app, `/api/v1/evidence-packs/${started.body.id}/events`, {
      token: reader.token,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.events.length).toBeGreaterThanOrEqual(2);
    expect(stream.events.every((event) => event.event === "pack")).toBe(true);
    const packs = stream.events.map((event) => EvidencePackSchema.parse(event.data));
    expect(packs.every((pack) => pack.id === started.body.id)).toBe(true);
    expect(["queued", "running"]).toContain(packs[0]!.status);
    expect(packs.at(-1)!.status).toBe("done");
    expect(packs.slice(0, -1).every((pack) => pack.status !== "done")).toBe(true);
    const progress = packs.map((pack) => pack.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const current = await request(app, "GET", `/api/v1/evidence-packs/${started.body.id}`, { token: reader.token });
    expect(packs.at(-1)).toEqual(current.body);
    // A settled pack answers its state once and ends the stream; an unknown pack is a 404 problem, not a stream.
    const again = await getForEvents(app, `/api/v1/evidence-packs/${started.body.id}/events`, { token: reader.token });
    expect(again.events.map((event) => event.data.status)).toEqual(["done"]);
    const unknown = await getForEvents(app, "/api/v1/evidence-packs/00000000-0000-4000-8000-000000000000/events", {
      token: reader.token,
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).code).toBe("not_found");
    const anonymous = await getForEvents(app, `/api/v1/evidence-packs/${started.body.id}/events`);
    expect(anonymous.status).toBe(401);
  });

  it("finishes a pack whose worker stopped mid-build: another claim builds it once the claim went stale", async () => {
    const { rows } = await app.deps.db.query<{ id: string }>(
      `insert into evidence_packs (catalog_id, period_from, period_to, status, stage, progress, attempts, heartbeat_at)
       values ($1, $2, $3, 'running', 'points', 40, 1, now() - interval '1 hour') returning id`,
      [audited.catalog.id, audited.from, audited.to],
    );
    const pack = await waitForPack(rows[0]!.id);
    expect(pack.status).toBe("done");
    expect(pack.attempts).toBe(2);
    const file = await download(pack.id, "restarted.zip");
    expect((await verifyPack(file)).problems).toEqual([]);
  });
});
