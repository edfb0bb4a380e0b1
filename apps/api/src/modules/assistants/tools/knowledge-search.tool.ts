import { z } from "zod";
import { searchKnowledge } from "../documents.service.ts";
import type { AssistantTool } from "./tool-types.ts";

const ParametersSchema = z.strictObject({
  query: z.string().trim().min(1).max(200).describe("Words to look for in the uploaded documents"),
  limit: z.number().int().min(1).max(10).optional().describe("How many passages (default 5)"),
});

export const searchKnowledgeBaseTool: AssistantTool<typeof ParametersSchema> = {
  name: "search_knowledge_base",
  access: "USER",
  description:
    "Full-text search in the documents uploaded to this assistant (policies, procedures, regulations); returns the best matching passages.",
  parameters: ParametersSchema,
  async run(context, args) {
    const hits = await searchKnowledge(context.deps, context.assistantId, args.query, args.limit ?? 5);
    return {
      content: {
        passages: hits.map((hit) => ({
          filename: hit.filename,
          documentId: hit.documentId,
          chunkIndex: hit.chunkIndex,
          content: hit.content,
        })),
      },
      summary: `${hits.length} passage${hits.length === 1 ? "" : "s"} found for "${args.query}"`,
      citations: {
        controls: [],
        computations: [],
        documents: [
          ...new Map(hits.map((hit) => [hit.documentId, { id: hit.documentId, filename: hit.filename }])).values(),
        ],
      },
    };
  },
};
