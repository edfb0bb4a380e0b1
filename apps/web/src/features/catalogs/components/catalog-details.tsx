import type { Catalog } from "@status/shared";
import type { ReactNode } from "react";
import { formatDate, formatDateTime } from "@/lib/format.ts";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">{term}</dt>
      <dd className="mt-1 text-sm">{children}</dd>
    </div>
  );
}

/** Dates show in the catalog's own time zone, where its windows open and close. */
export function CatalogDetails({ catalog }: { catalog: Catalog }) {
  return (
    <section
      aria-label="Catalog details"
      className="mb-8 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {catalog.description ? (
        <p className="mb-5 text-sm whitespace-pre-line">{catalog.description}</p>
      ) : (
        <p className="mb-5 text-sm text-zinc-500 italic dark:text-zinc-400">No description.</p>
      )}
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Detail term="Starts">{formatDate(catalog.startDate, catalog.timeZone)}</Detail>
        <Detail term="Ends">{formatDate(catalog.endDate, catalog.timeZone)}</Detail>
        <Detail term="Time zone">{catalog.timeZone}</Detail>
        <Detail term="Weeks start on">{WEEKDAYS[catalog.firstDayOfWeek - 1]}</Detail>
        <Detail term="Controls">{catalog.controlCount}</Detail>
        <Detail term="Finalized">{formatDateTime(catalog.finalizedAt)}</Detail>
        <Detail term="Updated">{formatDateTime(catalog.updatedAt)}</Detail>
      </dl>
    </section>
  );
}
