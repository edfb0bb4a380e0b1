import type { Mashup } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
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
      <PagedList
        query={mashupsQuery}
        loadingLabel="Loading mashups"
        errorTitle="The mashups could not be loaded"
        empty={{
          title: page > 1 ? "No mashups on this page" : "No mashups yet",
          body:
            page > 1 ? (
              <Button variant="secondary" size="sm" onClick={() => onPageChange(1)}>
                Go to the first page
              </Button>
            ) : (
              <p>A mashup is a Node-RED flow with an HTTP-in node; build one in the editor.</p>
            ),
        }}
        onPageChange={onPageChange}
      >
        {(mashups, isUpdating) => (
          <MashupsTable mashups={mashups} isUpdating={isUpdating} canDevelop={canDevelop} onTest={onTest} />
        )}
      </PagedList>
    </section>
  );
}
