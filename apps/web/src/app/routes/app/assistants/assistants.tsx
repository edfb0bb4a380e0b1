import { AssistantListQuerySchema, hasRole } from "@status/shared";
import type { QueryClient } from "@tanstack/react-query";
import type { LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useListParams } from "@/lib/use-list-params.ts";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getAssistantsQueryOptions, parseAssistantListQuery } from "@/features/assistants/api/get-assistants.ts";
import { AiSettingsPanel } from "@/features/assistants/components/ai-settings-panel.tsx";
import { CreateAssistantDialog } from "@/features/assistants/components/assistant-dialogs.tsx";
import { AssistantsList } from "@/features/assistants/components/assistants-list.tsx";

export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(
      getAssistantsQueryOptions(parseAssistantListQuery(new URL(request.url).searchParams)),
    );
    return null;
  };

/** Assistants: every user chats with the enabled ones; DEVELOPER manages them; ADMIN also sets up the AI server. */
export function AssistantsRoute() {
  const { user } = useSession();
  const { query, update } = useListParams(AssistantListQuerySchema);
  const canEdit = hasRole(user.role, "DEVELOPER");
  return (
    <>
      <title>Assistants · STATUS</title>
      <PageHeader
        title="Assistants"
        description="Ask about failing controls, evidence, compliance over time and the flows behind them; answers cite the data they used."
        actions={canEdit && <CreateAssistantDialog />}
      />
      <AssistantsList query={query} canEdit={canEdit} onPageChange={(page) => update({ page })} />
      {hasRole(user.role, "ADMIN") && <AiSettingsPanel />}
    </>
  );
}
