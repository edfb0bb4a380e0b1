export { assistantRoutes, DOCUMENT_UPLOAD_PATH } from "./assistants.routes.ts";
export { createAssistant } from "./assistants.service.ts";
export { searchAssistantKnowledge } from "./documents.service.ts";
export { conversationRoutes } from "./conversations.routes.ts";
