import {
  AssistantDocumentListSchema,
  AssistantDocumentSchema,
  AssistantListQuerySchema,
  AssistantPageSchema,
  AssistantSchema,
  CreateAssistantBodySchema,
  DocumentParamsSchema,
  IdParamsSchema,
  KnowledgeHitListSchema,
  KnowledgeSearchQuerySchema,
  UpdateAssistantBodySchema,
  UploadDocumentBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  createAssistant,
  deleteAssistant,
  getAssistant,
  listVisibleAssistants,
  updateAssistant,
} from "./assistants.service.ts";
import {
  deleteDocument,
  listAssistantDocuments,
  searchAssistantKnowledge,
  uploadDocument,
} from "./documents.service.ts";

/**
 * Where documents are uploaded; app.ts gives this path a JSON body limit of its own (base64 of the largest document).
 */
export const DOCUMENT_UPLOAD_PATH = "/assistants/:id/documents";

export function assistantRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/assistants",
      summary: "List assistants (a USER sees the enabled ones)",
      tag: "Assistants",
      access: "USER",
      query: AssistantListQuerySchema,
      responses: { 200: { description: "A page of assistants", schema: AssistantPageSchema } },
      async handler({ res, actor, query }) {
        res.json(await listVisibleAssistants(deps, actor, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/assistants",
      summary: "Create an assistant",
      tag: "Assistants",
      access: "DEVELOPER",
      body: CreateAssistantBodySchema,
      responses: { 201: { description: "The assistant", schema: AssistantSchema }, 409: { description: "Name taken" } },
      async handler({ res, actor, body }) {
        const assistant = await createAssistant(deps, actor, body);
        res.status(201).location(`/api/v1/assistants/${assistant.id}`).json(assistant);
      },
    }),
    defineRoute({
      method: "get",
      path: "/assistants/:id",
      summary: "Get an assistant",
      tag: "Assistants",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The assistant", schema: AssistantSchema } },
      async handler({ res, actor, params }) {
        res.json(await getAssistant(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/assistants/:id",
      summary: "Edit an assistant: name, description, instructions, model, tools, enabled",
      tag: "Assistants",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UpdateAssistantBodySchema,
      responses: { 200: { description: "The assistant", schema: AssistantSchema } },
      async handler({ res, actor, params, body }) {
        res.json(await updateAssistant(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/assistants/:id",
      summary: "Delete an assistant with its documents and all conversations with it",
      tag: "Assistants",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 204: { description: "Deleted" } },
      async handler({ res, actor, params }) {
        await deleteAssistant(deps, actor, params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: DOCUMENT_UPLOAD_PATH,
      summary: "The documents of an assistant's knowledge base",
      tag: "Assistants",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The documents", schema: AssistantDocumentListSchema } },
      async handler({ res, actor, params }) {
        res.json({ items: await listAssistantDocuments(deps, actor, params.id) });
      },
    }),
    defineRoute({
      method: "post",
      path: DOCUMENT_UPLOAD_PATH,
      summary:
        "Upload a document (PDF, Markdown or text, base64 in JSON) to the knowledge base; its text is chunked for search",
      tag: "Assistants",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: UploadDocumentBodySchema,
      responses: {
        201: { description: "The document", schema: AssistantDocumentSchema },
        413: { description: "Too large" },
        415: { description: "Not PDF, Markdown or text" },
        422: { description: "No readable text" },
      },
      async handler({ res, actor, params, body }) {
        const document = await uploadDocument(deps, actor, params.id, body);
        res.status(201).location(`/api/v1/assistants/${params.id}/documents/${document.id}`).json(document);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/assistants/:id/documents/:documentId",
      summary: "Remove a document and its chunks from the knowledge base",
      tag: "Assistants",
      access: "DEVELOPER",
      params: DocumentParamsSchema,
      responses: { 204: { description: "Deleted" } },
      async handler({ res, actor, params }) {
        await deleteDocument(deps, actor, params.id, params.documentId);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/assistants/:id/knowledge",
      summary: "Full-text search in an assistant's knowledge base (passages, best first)",
      tag: "Assistants",
      access: "USER",
      params: IdParamsSchema,
      query: KnowledgeSearchQuerySchema,
      responses: { 200: { description: "Matching passages", schema: KnowledgeHitListSchema } },
      async handler({ res, actor, params, query }) {
        res.json({ items: await searchAssistantKnowledge(deps, actor, params.id, query) });
      },
    }),
  ];
}
