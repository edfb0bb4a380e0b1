import type { Mashup } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useMashups } from "../api/get-mashups.ts";
import { MashupsTable } from "./mashups-table.tsx";

interface MashupsListProps {
  page: number;
  onPageChange: (page: number) => void;
  canDevelop: boolean;
  onTest: (mashup: Mashup) => void;
}

export const MASHUPS_PAGE_SIZE = 25;

/** The flows Node-RED serves, paginated through the URL; Node-RED being down shows as an error with a retry. */
export function MashupsList({ page, onPageChange, canDevelop, onTest }: MashupsListProps) {
  const mashupsQuery = useMashups({ page, pageSize: MASHUPS_PAGE_SIZE });
  return (
    <section aria-label="Mashups list">
      {mashupsQuery.isPending && <PageSpinner label="Loading mashups" />}
      {mashupsQuery.isError && !mashupsQuery.data && (
        <LoadError
          title="The mashups could not be loaded"
          error={mashupsQuery.error}
          onRetry={() => void mashupsQuery.refetch()}
        />
      )}
      {mashupsQuery.data?.items.length === 0 && (
        <EmptyState title={page > 1 ? "No mashups on this page" : "No mashups yet"}>
          {page > 1 ? (
            <Button variant="secondary" size="sm" onClick={() => onPageChange(1)}>
              Go to the first page
            </Button>
          ) : (
            <p>A mashup is a Node-RED flow with an HTTP-in node; build one in the editor.</p>
          )}
        </EmptyState>
      )}
      {mashupsQuery.data && mashupsQuery.data.items.length > 0 && (
        <div className="space-y-4">
          <MashupsTable
            mashups={mashupsQuery.data.items}
            isUpdating={mashupsQuery.isPlaceholderData}
            canDevelop={canDevelop}
            onTest={onTest}
          />
          <Pagination
            page={mashupsQuery.data.page}
            pageSize={mashupsQuery.data.pageSize}
            total={mashupsQuery.data.total}
            onPageChange={onPageChange}
          />
        </div>
      )}
    </section>
  );
}
