import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { formatTimeAgo } from "@/lib/format.ts";
import { useRecentEvents } from "../api/get-events.ts";

const LABELS: Record<string, string> = {
  "control.failing": "failing",
  "control.recovered": "recovered",
  "control.stale": "stale",
  "control.fresh": "fresh again",
  "run.error": "runs in error",
  "catalog.compliance_below": "below compliance level",
};

/** The header's bell: the last week's state changes, newest first. */
export function EventsBell() {
  const [isOpen, setIsOpen] = useState(false);
  const events = useRecentEvents();
  const items = events.data?.items ?? [];
  return (
    <div className="relative">
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Recent events (${items.length})`}
        aria-expanded={isOpen}
        onClick={() => setIsOpen((open) => !open)}
      >
        {/* Drawn, not an emoji: not every system has a font with the bell glyph. */}
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-4 w-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {items.length > 0 && <span className="ml-1 text-xs">{items.length}</span>}
      </Button>
      {isOpen && (
        <div
          role="region"
          aria-label="Recent events"
          className="absolute right-0 z-40 mt-2 w-80 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          {items.length === 0 ? (
            <p className="p-2 text-sm text-zinc-500">No state changes in the last week.</p>
          ) : (
            <ul className="max-h-96 divide-y divide-zinc-200 overflow-y-auto dark:divide-zinc-800">
              {items.map((event) => (
                <li key={event.id} className="p-2 text-sm">
                  <a href={event.data.evidenceUrl ?? "#"} className="font-medium hover:underline">
                    {event.data.control?.name ?? event.data.catalog.name}
                  </a>{" "}
                  {LABELS[event.type] ?? event.type}
                  <p className="text-xs text-zinc-500">
                    {event.data.catalog.name} · {formatTimeAgo(event.time)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
