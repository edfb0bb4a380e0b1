import { IdSchema } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import { Link, useParams, useSearchParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { getAssistantQueryOptions, useAssistant } from "@/features/assistants/api/get-assistant.ts";
import { ChatView } from "@/features/assistants/components/chat-view.tsx";
import { ConversationSidebar } from "@/features/assistants/components/conversation-sidebar.tsx";
import { IntegrationNotice, isUnconfigured, useIntegration } from "@/features/system/index.ts";

const CONVERSATION_PARAM = "conversation";

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    if (params.assistantId) void queryClient.prefetchQuery(getAssistantQueryOptions(params.assistantId));
    return null;
  };

/** Chat with one assistant: the history on the side, the open conversation (in the URL) beside it. */
export function AssistantChatRoute() {
  const assistantId = useParams().assistantId ?? "";
  const [searchParams, setSearchParams] = useSearchParams();
  const conversationId = IdSchema.safeParse(searchParams.get(CONVERSATION_PARAM)).data ?? null;
  const assistant = useAssistant(assistantId);
  const ai = useIntegration("ai");
  const select = (id: string | null) => setSearchParams(id ? { [CONVERSATION_PARAM]: id } : {}, { replace: false });

  if (assistant.isPending) return <PageSpinner />;
  if (assistant.isError) {
    return (
      <Alert
        title={isApiError(assistant.error, "not_found") ? "No such assistant" : "The assistant could not be loaded"}
      >
        {assistant.error.message}
      </Alert>
    );
  }
  return (
    <>
      <title>{`${assistant.data.name} · Assistants · STATUS`}</title>
      <PageHeader
        title={assistant.data.name}
        description={assistant.data.description || undefined}
        actions={
          <Link to="/assistants" className="text-sm text-indigo-700 underline dark:text-indigo-300">
            All assistants
          </Link>
        }
      />
      {ai && isUnconfigured(ai) && (
        <div className="mb-6">
          <IntegrationNotice integration={ai} />
        </div>
      )}
      <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
        <ConversationSidebar
          assistantId={assistantId}
          selectedId={conversationId}
          onSelect={select}
          canStart={assistant.data.isEnabled}
        />
        {conversationId ? (
          <ChatView
            key={conversationId}
            assistantId={assistantId}
            conversationId={conversationId}
            isAssistantEnabled={assistant.data.isEnabled}
            onDeleted={() => select(null)}
          />
        ) : (
          <p className="text-sm text-zinc-500">Start a new conversation, or open one from the history.</p>
        )}
      </div>
    </>
  );
}
