import type { QueryClient } from "@tanstack/react-query";
import { useSearchParams, type LoaderFunctionArgs } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { getTokensQueryOptions, parseTokenListQuery } from "@/features/tokens/api/get-tokens.ts";
import { CreateTokenDialog } from "@/features/tokens/components/create-token-dialog.tsx";
import { McpInstructions } from "@/features/tokens/components/mcp-instructions.tsx";
import { TokensList } from "@/features/tokens/components/tokens-list.tsx";
import { parseTokenPrefill } from "@/features/tokens/utils/token-prefill.ts";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader =
  (queryClient: QueryClient) =>
  ({ request }: LoaderFunctionArgs) => {
    void queryClient.prefetchQuery(getTokensQueryOptions(parseTokenListQuery(new URL(request.url).searchParams)));
    return null;
  };

export function TokensRoute() {
  const [searchParams] = useSearchParams();
  const prefill = parseTokenPrefill(searchParams);
  return (
    <>
      <title>API tokens · STATUS</title>
      <PageHeader
        title="API tokens"
        description="Personal tokens for scripts and integrations that call the API with your role."
        actions={<CreateTokenDialog prefill={prefill} />}
      />
      <TokensList />
      <McpInstructions origin={window.location.origin} />
    </>
  );
}
