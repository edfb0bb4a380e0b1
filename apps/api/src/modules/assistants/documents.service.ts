import type { AssistantDocument, KnowledgeHit, KnowledgeSearchQuery, UploadDocumentBody } from "@status/shared";
import { withTransaction } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { requireVisibleAssistant } from "./assistants.service.ts";
import { chunkText } from "./chunk-text.ts";
import { acceptedContentType, extractDocumentText } from "./document-text.ts";
import {
  deleteDocumentRow,
  findDocument,
  insertChunks,
  insertDocument,
  listDocuments,
  searchChunks,
} from "./documents.repository.ts";
import { toSearchQuery } from "./knowledge.ts";

/** A knowledge base holds at most this many chunks per document (about 6 MB of text). */
const MAX_CHUNKS_PER_DOCUMENT = 5_000;

/**
 * Adds a document to an assistant's knowledge base: checks its type (415) and size (413), extracts its text (PDF
 * through PDF.js, Markdown and text as UTF-8; 422 when unreadable), splits it into chunks and stores them for search.
 */
export async function uploadDocument(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
  input: UploadDocumentBody,
): Promise<AssistantDocument> {
  await requireVisibleAssistant(deps.db, actor, assistantId);
  const contentType = acceptedContentType(input.contentType);
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.length > deps.config.ai.documentMaxBytes) {
    throw new AppError(
      413,
      "payload_too_large",
      "Payload too large",
      `A document may have at most ${deps.config.ai.documentMaxBytes} bytes`,
    );
  }
  const text = await extractDocumentText(contentType, bytes);
  const chunks = chunkText(text);
  if (chunks.length > MAX_CHUNKS_PER_DOCUMENT)
    throw new AppError(
      413,
      "payload_too_large",
      "Payload too large",
      `The document's text is too long (${chunks.length} chunks; at most ${MAX_CHUNKS_PER_DOCUMENT})`,
    );
  return withTransaction(deps.db, async (tx) => {
    const document = await insertDocument(tx, {
      assistantId,
      filename: input.filename,
      contentType,
      sizeBytes: bytes.length,
      characterCount: text.length,
      chunkCount: chunks.length,
      createdBy: actor.userId,
    });
    await insertChunks(tx, document.id, assistantId, chunks);
    await recordAudit(tx, actor, {
      action: "create",
      resourceType: "assistant_document",
      resourceId: document.id,
      after: document,
    });
    return document;
  });
}

export async function listAssistantDocuments(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
): Promise<AssistantDocument[]> {
  await requireVisibleAssistant(deps.db, actor, assistantId);
  return listDocuments(deps.db, assistantId);
}

export async function deleteDocument(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
  documentId: string,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const before = await findDocument(tx, assistantId, documentId);
    if (!before) throw new NotFoundError("document", documentId);
    await deleteDocumentRow(tx, documentId);
    await recordAudit(tx, actor, {
      action: "delete",
      resourceType: "assistant_document",
      resourceId: documentId,
      before,
    });
  });
}

/** Passages of the knowledge base that share words with `text`, best first. */
export async function searchKnowledge(
  deps: Pick<AppDeps, "db">,
  assistantId: string,
  text: string,
  limit: number,
): Promise<KnowledgeHit[]> {
  const query = toSearchQuery(text, { minLength: 2 });
  if (!query) return [];
  return searchChunks(deps.db, assistantId, query, limit);
}

export async function searchAssistantKnowledge(
  deps: AppDeps,
  actor: Actor,
  assistantId: string,
  query: KnowledgeSearchQuery,
): Promise<KnowledgeHit[]> {
  await requireVisibleAssistant(deps.db, actor, assistantId);
  return searchKnowledge(deps, assistantId, query.q, query.limit);
}
