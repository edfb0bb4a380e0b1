import type { AssistantDocument, DocumentContentType, KnowledgeHit } from "@status/shared";
import type { Queryable } from "../../db/database.ts";

const DOCUMENT_COLUMNS = `id, assistant_id as "assistantId", filename, content_type as "contentType", size_bytes as "sizeBytes",
  chunk_count as "chunkCount", character_count as "characterCount", created_at as "createdAt"`;

export interface NewDocument {
  assistantId: string;
  filename: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  characterCount: number;
  chunkCount: number;
  createdBy: string;
}

export async function insertDocument(db: Queryable, document: NewDocument): Promise<AssistantDocument> {
  const result = await db.query<AssistantDocument>(
    `insert into assistant_documents (assistant_id, filename, content_type, size_bytes, character_count, chunk_count, created_by)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${DOCUMENT_COLUMNS}`,
    [
      document.assistantId,
      document.filename,
      document.contentType,
      document.sizeBytes,
      document.characterCount,
      document.chunkCount,
      document.createdBy,
    ],
  );
  return result.rows[0]!;
}

/** Stores every chunk of a document in one statement. */
export async function insertChunks(
  db: Queryable,
  documentId: string,
  assistantId: string,
  chunks: string[],
): Promise<void> {
  await db.query(
    `insert into document_chunks (document_id, assistant_id, chunk_index, content)
     select $1, $2, position - 1, content from unnest($3::text[]) with ordinality as input(content, position)`,
    [documentId, assistantId, chunks],
  );
}

export async function findDocument(
  db: Queryable,
  assistantId: string,
  id: string,
): Promise<AssistantDocument | undefined> {
  const result = await db.query<AssistantDocument>(
    `select ${DOCUMENT_COLUMNS} from assistant_documents where id = $1 and assistant_id = $2`,
    [id, assistantId],
  );
  return result.rows[0];
}

export async function listDocuments(db: Queryable, assistantId: string): Promise<AssistantDocument[]> {
  const result = await db.query<AssistantDocument>(
    `select ${DOCUMENT_COLUMNS} from assistant_documents where assistant_id = $1 order by created_at, id`,
    [assistantId],
  );
  return result.rows;
}

export async function deleteDocumentRow(db: Queryable, id: string): Promise<void> {
  await db.query("delete from assistant_documents where id = $1", [id]);
}

/**
 * Full-text search over an assistant's chunks, best first. `tsquery` is built by the caller from plain words only
 * (see knowledge.ts) and still travels as a parameter.
 */
export async function searchChunks(
  db: Queryable,
  assistantId: string,
  tsquery: string,
  limit: number,
): Promise<KnowledgeHit[]> {
  const result = await db.query<KnowledgeHit>(
    `select chunks.document_id as "documentId", documents.filename, chunks.chunk_index as "chunkIndex", chunks.content,
            ts_rank(chunks.search, query)::float8 as rank
       from document_chunks chunks
       join assistant_documents documents on documents.id = chunks.document_id,
            to_tsquery('simple', $2) query
      where chunks.assistant_id = $1 and chunks.search @@ query
      order by rank desc, chunks.document_id, chunks.chunk_index
      limit $3`,
    [assistantId, tsquery, limit],
  );
  return result.rows;
}
