import type { Catalog } from "@status/shared";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { IntegrationNotice, useIntegration } from "@/features/system/index.ts";
import { formatDateTime } from "@/lib/format.ts";
import { usePublication } from "../api/get-publication.ts";
import { usePublishCatalog } from "../api/publish-catalog.ts";
import { PublicationBadge } from "./publication-badge.tsx";
import { SyncFromRegistryForm } from "./sync-from-registry-form.tsx";

interface CatalogPublicationProps {
  catalog: Catalog;
  /** DEVELOPER and up: may publish now and sync guarantee states back. */
  canManage: boolean;
}

/**
 * Where a finalized catalog stands in the Governify registry: published, pending, or the registry's error while
 * publishing retries. Developers can publish now and pull guarantee states back. Drafts are never published.
 */
export function CatalogPublication({ catalog, canManage }: CatalogPublicationProps) {
  if (catalog.status !== "finalized") return null;
  return <FinalizedCatalogPublication catalog={catalog} canManage={canManage} />;
}

function FinalizedCatalogPublication({ catalog, canManage }: CatalogPublicationProps) {
  const publication = usePublication(catalog.id);
  const publish = usePublishCatalog();
  const registry = useIntegration("registry");

  if (publication.isPending) return <Spinner size="sm" label="Loading the registry publication" />;
  if (publication.isError)
    return <Alert title="The registry publication could not be loaded">{publication.error.message}</Alert>;
  const { state, lastError, publishedAt, nextAttemptAt, lastSyncError } = publication.data;
  const isConfigured = state !== "not_configured";
  return (
    <section
      aria-label="Registry publication"
      className="mb-8 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center gap-3">
        <PublicationBadge state={state} />
        {publishedAt && (
          <span className="text-sm text-zinc-500 dark:text-zinc-400">Last published {formatDateTime(publishedAt)}</span>
        )}
        {canManage && isConfigured && (
          <Button
            size="sm"
            variant="secondary"
            className="ml-auto"
            isLoading={publish.isPending}
            onClick={() => publish.mutate(catalog.id)}
          >
            Publish now
          </Button>
        )}
      </div>
      {!isConfigured && registry && !registry.isConfigured && (
        <div className="mt-3">
          <IntegrationNotice integration={registry} />
        </div>
      )}
      {state === "error" && lastError && (
        <Alert className="mt-3" title="The registry refused or did not answer">
          <p>{lastError}</p>
          {nextAttemptAt && <p className="mt-1">Next attempt {formatDateTime(nextAttemptAt)}.</p>}
        </Alert>
      )}
      {publish.isError && (
        <Alert className="mt-3" title="Publishing could not be requested">
          {publish.error.message}
        </Alert>
      )}
      {lastSyncError && (
        <Alert className="mt-3" title="The last sync from the registry failed">
          {lastSyncError}
        </Alert>
      )}
      {canManage && isConfigured && <SyncFromRegistryForm catalogId={catalog.id} timeZone={catalog.timeZone} />}
    </section>
  );
}
