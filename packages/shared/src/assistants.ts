import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, pageSchema, SearchTermSchema, sortSchema } from "./common.ts";

/**
 * The tools an assistant may be given. The model calls them; the API runs them with the asking user's role, and a
 * tool needs the role of the API route that reads the same data (drafting a flow is mashup work: DEVELOPER).
 */
export const AssistantToolNameSchema = z.enum([
  "list_failing_controls",
  "get_control_evidence",
  "get_catalog_compliance",
  "explain_control_flow",
  "draft_node_red_flow",
  "search_knowledge_base",
]);
export type AssistantToolName = z.infer<typeof AssistantToolNameSchema>;

/** What each tool does, for forms and for the list of steps in a chat. */
export const ASSISTANT_TOOLS: Record<
  AssistantToolName,
  { label: string; description: string; minimumRole: "USER" | "DEVELOPER" }
> = {
  list_failing_controls: {
    label: "List failing controls",
    description: "Controls with failing points in a period, with the evidence that failed",
    minimumRole: "USER",
  },
  get_control_evidence: {
    label: "Latest evidence of a control",
    description: "A control's latest computation and its evidences",
    minimumRole: "USER",
  },
  get_catalog_compliance: {
    label: "Catalog compliance",
    description: "A catalog's compliance over a period, per control",
    minimumRole: "USER",
  },
  explain_control_flow: {
    label: "Explain a control's flow",
    description: "The nodes of the Node-RED flow that evaluates a control",
    minimumRole: "USER",
  },
  draft_node_red_flow: {
    label: "Draft a Node-RED flow",
    description: "A flow for a described control, for a developer to review (never deployed)",
    minimumRole: "DEVELOPER",
  },
  search_knowledge_base: {
    label: "Search the knowledge base",
    description: "Passages of the assistant's uploaded documents",
    minimumRole: "USER",
  },
};

/** A model name as OpenAI-compatible servers spell them (`gpt-4o-mini`, `llama3.1:8b`, `org/model`). */
export const ModelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:/@-]+$/, "Letters, digits and . _ : / @ - only");

/** An AI assistant: instructions, a model, the tools it may call, and a knowledge base of uploaded documents. */
export const AssistantSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  instructions: z.string(),
  model: z.string().nullable().describe("null: the default model of the AI settings"),
  tools: z.array(AssistantToolNameSchema),
  isEnabled: z.boolean(),
  documentCount: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Assistant = z.infer<typeof AssistantSchema>;

const assistantFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000),
  instructions: z.string().trim().max(20_000),
  model: ModelNameSchema.nullable(),
  tools: z
    .array(AssistantToolNameSchema)
    .max(AssistantToolNameSchema.options.length)
    .refine((tools) => new Set(tools).size === tools.length, "List each tool once"),
  isEnabled: z.boolean(),
};

export const CreateAssistantBodySchema = z.strictObject({
  ...assistantFields,
  description: assistantFields.description.default(""),
  instructions: assistantFields.instructions.default(""),
  model: assistantFields.model.default(null),
  tools: assistantFields.tools.default([]),
  isEnabled: assistantFields.isEnabled.default(true),
});
export type CreateAssistantBody = z.infer<typeof CreateAssistantBodySchema>;

export const UpdateAssistantBodySchema = z.strictObject({
  name: assistantFields.name.optional(),
  description: assistantFields.description.optional(),
  instructions: assistantFields.instructions.optional(),
  model: assistantFields.model.optional(),
  tools: assistantFields.tools.optional(),
  isEnabled: assistantFields.isEnabled.optional(),
});
export type UpdateAssistantBody = z.infer<typeof UpdateAssistantBodySchema>;

export const AssistantListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["name", "createdAt"], "name"),
  q: SearchTermSchema,
});
export type AssistantListQuery = z.infer<typeof AssistantListQuerySchema>;
export const AssistantPageSchema = pageSchema(AssistantSchema);

/** The document types a knowledge base takes; anything else is refused with 415. */
export const DocumentContentTypeSchema = z.enum(["application/pdf", "text/markdown", "text/plain"]);
export type DocumentContentType = z.infer<typeof DocumentContentTypeSchema>;

/** An upload as JSON: the file's bytes in base64 (the API's JSON body limit for this route bounds the size). */
export const UploadDocumentBodySchema = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, "A file name, without folders"),
  contentType: z.string().trim().min(1).max(100),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "Must be base64"),
});
export type UploadDocumentBody = z.infer<typeof UploadDocumentBodySchema>;

export const AssistantDocumentSchema = z.object({
  id: IdSchema,
  assistantId: IdSchema,
  filename: z.string(),
  contentType: DocumentContentTypeSchema,
  sizeBytes: z.number().int(),
  chunkCount: z.number().int(),
  characterCount: z.number().int(),
  createdAt: IsoDateTimeSchema,
});
export type AssistantDocument = z.infer<typeof AssistantDocumentSchema>;
export const AssistantDocumentListSchema = z.object({ items: z.array(AssistantDocumentSchema) });

export const DocumentParamsSchema = z.strictObject({ id: IdSchema, documentId: IdSchema });

export const KnowledgeSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(8),
});
export type KnowledgeSearchQuery = z.infer<typeof KnowledgeSearchQuerySchema>;

/** One passage of a document that matched a search, best first. */
export const KnowledgeHitSchema = z.object({
  documentId: IdSchema,
  filename: z.string(),
  chunkIndex: z.number().int(),
  content: z.string(),
  rank: z.number(),
});
export type KnowledgeHit = z.infer<typeof KnowledgeHitSchema>;
export const KnowledgeHitListSchema = z.object({ items: z.array(KnowledgeHitSchema) });
