import type { QueryClient } from "@tanstack/react-query";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { getWebhooksQueryOptions } from "@/features/notifications/api/webhooks.ts";
import { WebhookFormDialog } from "@/features/notifications/components/webhook-form-dialog.tsx";
import { WebhooksList } from "@/features/notifications/components/webhooks-list.tsx";

/** Starts the list request while the page renders; the page shows its own loading and error states. */
export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getWebhooksQueryOptions());
  return null;
};

export function NotificationsRoute() {
  return (
    <>
      <title>Notifications · STATUS</title>
      <PageHeader
        title="Notifications"
        description="Signed webhooks (and Slack or Teams messages) when a control fails, recovers, goes stale or its runs keep erroring."
        actions={<WebhookFormDialog />}
      />
      <WebhooksList />
    </>
  );
}
