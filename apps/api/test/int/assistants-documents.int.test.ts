import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPdf } from "../fixtures/build-pdf.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const BACKUP_POLICY = `# Backup policy

Nightly backups of every production database must succeed. A failed backup is retried within four hours.

## Retention

Backups are kept for thirty days and restored in a drill every quarter.`;

function base64(text: string | Buffer): string {
  return Buffer.from(text).toString("base64");
}

describe("knowledge base documents", () => {
  let app: TestApp;
  let developer: TestUser;
  let user: TestUser;
  let assistantId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { ASSISTANT_DOCUMENT_MAX_BYTES: "20000" } });
    developer = await signInAs(app, "DEVELOPER");
    user = await signInAs(app, "USER");
    assistantId = (
      await request(app, "POST", "/api/v1/assistants", {
        token: developer.token,
        body: { name: `Docs ${uniqueSuffix()}` },
      })
    ).body.id;
  });
  afterAll(() => app?.close());

  function upload(body: Record<string, unknown>, token = developer.token) {
    return request(app, "POST", `/api/v1/assistants/${assistantId}/documents`, { token, body });
  }

  it("stores a Markdown document as searchable chunks with a generated tsvector", async () => {
    const response = await upload({
      filename: "backup-policy.md",
      contentType: "text/markdown",
      contentBase64: base64(BACKUP_POLICY),
    });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      filename: "backup-policy.md",
      contentType: "text/markdown",
      sizeBytes: Buffer.byteLength(BACKUP_POLICY),
      chunkCount: 1,
    });
    const chunks = await app.deps.db.query(
      "select content, search::text as search from document_chunks where document_id = $1",
      [response.body.id],
    );
    expect(chunks.rows[0].content).toContain("Nightly backups of every production database");
    expect(chunks.rows[0].search).toContain("'nightly'");

    const hits = await request(
      app,
      "GET",
      `/api/v1/assistants/${assistantId}/knowledge?q=${encodeURIComponent("how long are backups kept?")}`,
      { token: user.token },
    );
    expect(hits.status).toBe(200);
    expect(hits.body.items[0]).toMatchObject({
      documentId: response.body.id,
      filename: "backup-policy.md",
      chunkIndex: 0,
    });
    expect(hits.body.items[0].rank).toBeGreaterThan(0);
  });

  it("extracts the text of a real PDF", async () => {
    const pdf = buildPdf(["Access reviews happen every quarter.", "Privileged accounts are reviewed monthly."]);
    const response = await upload({
      filename: "access.pdf",
      contentType: "application/pdf",
      contentBase64: pdf.toString("base64"),
    });

    expect(response.status, response.text).toBe(201);
    const chunks = await app.deps.db.query("select content from document_chunks where document_id = $1", [
      response.body.id,
    ]);
    expect(chunks.rows[0].content).toContain("Privileged accounts are reviewed monthly.");
    const hits = await request(app, "GET", `/api/v1/assistants/${assistantId}/knowledge?q=privileged`, {
      token: developer.token,
    });
    expect(hits.body.items.map((hit: { filename: string }) => hit.filename)).toEqual(["access.pdf"]);
  });

  it("takes plain text with a charset parameter and lists every document", async () => {
    const response = await upload({
      filename: "notes.txt",
      contentType: "text/plain; charset=utf-8",
      contentBase64: base64("Encryption keys rotate yearly."),
    });
    expect(response.body.contentType).toBe("text/plain");
    const listed = await request(app, "GET", `/api/v1/assistants/${assistantId}/documents`, { token: user.token });
    expect(listed.body.items.map((document: { filename: string }) => document.filename)).toEqual(
      expect.arrayContaining(["backup-policy.md", "access.pdf", "notes.txt"]),
    );
  });

  it("refuses other types with 415, and unreadable or hostile files with 4xx", async () => {
    expectProblem(
      await upload({ filename: "sheet.xlsx", contentType: "application/vnd.ms-excel", contentBase64: base64("x") }),
      415,
      "unsupported_media_type",
    );
    expectProblem(
      await upload({ filename: "fake.pdf", contentType: "application/pdf", contentBase64: base64("not a pdf at all") }),
      422,
      "document_unreadable",
    );
    expectProblem(
      await upload({
        filename: "broken.pdf",
        contentType: "application/pdf",
        contentBase64: base64("%PDF-1.4\n1 0 obj garbage"),
      }),
      422,
      "document_unreadable",
    );
    expectProblem(
      await upload({
        filename: "binary.txt",
        contentType: "text/plain",
        contentBase64: Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString("base64"),
      }),
      422,
      "document_unreadable",
    );
    expectProblem(
      await upload({ filename: "nul.md", contentType: "text/markdown", contentBase64: base64("a\u0000b") }),
      422,
      "document_unreadable",
    );
    expectProblem(
      await upload({ filename: "empty.md", contentType: "text/markdown", contentBase64: base64("  \n\n ") }),
      422,
      "document_unreadable",
    );
    expectProblem(
      await upload({ filename: "../etc/passwd", contentType: "text/plain", contentBase64: "!!" }),
      400,
      "validation_failed",
    );
    expectProblem(
      await upload({ filename: "big.txt", contentType: "text/plain", contentBase64: base64("a ".repeat(15_000)) }),
      413,
      "payload_too_large",
    );
  });

  it("lets only DEVELOPER upload and delete; deleting removes the chunks", async () => {
    expectProblem(
      await upload({ filename: "x.txt", contentType: "text/plain", contentBase64: base64("x") }, user.token),
      403,
      "forbidden",
    );
    const document = (
      await upload({
        filename: "temporary.txt",
        contentType: "text/plain",
        contentBase64: base64("Temporary zebra passage."),
      })
    ).body;

    expect(
      (
        await request(app, "DELETE", `/api/v1/assistants/${assistantId}/documents/${document.id}`, {
          token: developer.token,
        })
      ).status,
    ).toBe(204);
    const chunks = await app.deps.db.query("select count(*)::int as n from document_chunks where document_id = $1", [
      document.id,
    ]);
    expect(chunks.rows[0].n).toBe(0);
    const hits = await request(app, "GET", `/api/v1/assistants/${assistantId}/knowledge?q=zebra`, {
      token: developer.token,
    });
    expect(hits.body.items).toEqual([]);
  });
});

describe("knowledge base on the embedded PGlite", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ database: "pglite", cache: "memory" });
  });
  afterAll(() => app?.close());

  it("chunks, indexes and ranks documents there too", async () => {
    const developer = await signInAs(app, "DEVELOPER");
    const assistant = (
      await request(app, "POST", "/api/v1/assistants", { token: developer.token, body: { name: "Embedded" } })
    ).body;
    const uploaded = await request(app, "POST", `/api/v1/assistants/${assistant.id}/documents`, {
      token: developer.token,
      body: { filename: "policy.md", contentType: "text/markdown", contentBase64: base64(BACKUP_POLICY) },
    });
    expect(uploaded.status, uploaded.text).toBe(201);

    const hits = await request(app, "GET", `/api/v1/assistants/${assistant.id}/knowledge?q=retention%20drill`, {
      token: developer.token,
    });
    expect(hits.body.items).toHaveLength(1);
    expect(hits.body.items[0].content).toContain("restored in a drill");
  });
});
