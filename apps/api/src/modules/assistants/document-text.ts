import { DocumentContentTypeSchema, type DocumentContentType } from "@status/shared";
import { AppError } from "../../errors.ts";

const PDF_MAGIC = "%PDF-";
// Text Postgres cannot store, and control characters that only binary files contain.
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const BINARY_CHARACTERS = /[\u0000-\u0008\u000e-\u001f]/;

/** The upload's declared type, without parameters (`text/plain; charset=utf-8` → `text/plain`); 415 for others. */
export function acceptedContentType(declared: string): DocumentContentType {
  const parsed = DocumentContentTypeSchema.safeParse(declared.split(";")[0]!.trim().toLowerCase());
  if (!parsed.success) {
    throw new AppError(
      415,
      "unsupported_media_type",
      "Unsupported media type",
      "A knowledge base takes PDF (application/pdf), Markdown (text/markdown) and plain text (text/plain)",
    );
  }
  return parsed.data;
}

function unreadable(detail: string): AppError {
  return new AppError(422, "document_unreadable", "Document unreadable", detail);
}

function decodeUtf8(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw unreadable("The file is not UTF-8 text");
  }
  if (BINARY_CHARACTERS.test(text)) throw unreadable("The file contains binary data, not text");
  return text.replace(/^\uFEFF/, "");
}

async function extractPdfText(bytes: Buffer): Promise<string> {
  if (bytes.subarray(0, PDF_MAGIC.length).toString("latin1") !== PDF_MAGIC) throw unreadable("The file is not a PDF");
  // unpdf bundles a serverless build of PDF.js (pure JavaScript): nothing native, no worker thread.
  const { extractText, getDocumentProxy } = await import("unpdf");
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } catch (error) {
    throw unreadable(`The PDF cannot be read: ${(error as Error).message.slice(0, 200)}`);
  }
}

/** The text of an uploaded document, cleaned of what Postgres cannot store; 422 when there is none to read. */
export async function extractDocumentText(contentType: DocumentContentType, bytes: Buffer): Promise<string> {
  const raw = contentType === "application/pdf" ? await extractPdfText(bytes) : decodeUtf8(bytes);
  const text = raw
    // eslint-disable-next-line no-control-regex -- U+0000 is what Postgres cannot store
    .replace(/\u0000/g, "")
    .replace(/\p{Surrogate}/gu, "")
    .trim();
  if (!text) throw unreadable("The document contains no text (a scanned PDF needs OCR first)");
  return text;
}
