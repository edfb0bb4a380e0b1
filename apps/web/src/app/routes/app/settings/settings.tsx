import type { QueryClient } from "@tanstack/react-query";
import { PageHeader } from "@/components/layout/page-header.tsx";
import { useSession } from "@/features/auth/hooks/use-session.ts";
import { getSystemHealthQueryOptions } from "@/features/system/api/get-system-health.ts";
import { RetentionSettings } from "@/features/retention/components/retention-settings.tsx";
import { SystemStatus } from "@/features/system/components/system-status.tsx";
import { IntegrationsList } from "@/features/system/components/integrations-list.tsx";

/** Starts the health check while the page renders; the page shows its own loading and error states. */
export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getSystemHealthQueryOptions());
  return null;
};

export function SettingsRoute() {
  const { user } = useSession();
  return (
    <>
      <title>Settings · STATUS</title>
      <PageHeader
        title="Settings"
        description={
          user.role === "ADMIN"
            ? "How STATUS and the services it depends on are doing, and how long its data is kept."
            : "How STATUS and the services it depends on are doing."
        }
      />
      <section aria-labelledby="system-status-heading" className="space-y-3">
        <h2 id="system-status-heading" className="text-lg font-semibold">
          System status
        </h2>
        <SystemStatus showUrls={user.role === "ADMIN"} />
      </section>
      <section aria-labelledby="integrations-heading" className="mt-10 space-y-3">
        <h2 id="integrations-heading" className="text-lg font-semibold">
          Integrations
        </h2>
        <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
          Every integration STATUS can use, and for those that are off, the environment variables that turn them on.
        </p>
        <IntegrationsList />
      </section>
      {user.role === "ADMIN" && (
        <section aria-labelledby="retention-heading" className="mt-10 space-y-3">
          <h2 id="retention-heading" className="text-lg font-semibold">
            Retention
          </h2>
          <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
            How long each kind of data is kept before the daily pruning removes it. Points, the hash-chained record, are
            always kept, and their chains still verify after their evidences are pruned.
          </p>
          <RetentionSettings />
        </section>
      )}
    </>
  );
}
