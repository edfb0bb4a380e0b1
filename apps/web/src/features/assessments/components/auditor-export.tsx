import { hasRole, type Catalog, type Role } from "@status/shared";
import { useMemo, useState, type ReactNode } from "react";
import { LoadError } from "@/components/ui/load-error.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import type { EventSourceFactory } from "@/lib/event-source.ts";
import { useEvidencePacks } from "../api/evidence-packs.ts";
import { resolvePeriod, type PeriodChoice } from "../utils/period.ts";
import { EvidencePacksTable } from "./evidence-packs-table.tsx";
import { OscalDownloads } from "./oscal-downloads.tsx";
import { PeriodPicker } from "./period-picker.tsx";
import { PublicKeyPanel } from "./public-key-panel.tsx";
import { ReportPreview } from "./report-preview.tsx";
import { StartEvidencePack } from "./start-evidence-pack.tsx";

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  const id = `auditors-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {description && <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
      </div>
      {children}
    </section>
  );
}

interface AuditorExportProps {
  catalog: Catalog;
  role: Role;
  /** Who asked for a pack, by user id (null: not known to the viewer). */
  nameOf: (userId: string) => string | null;
  createEventSource?: EventSourceFactory;
}

/**
 * Everything an auditor takes home for a period: a signed evidence pack (DEVELOPER and up start one), the OSCAL
 * documents, the period report, and the key that checks a pack offline; with the packs built before.
 */
export function AuditorExport({ catalog, role, nameOf, createEventSource }: AuditorExportProps) {
  const [choice, setChoice] = useState<PeriodChoice>({ preset: "last-30-days", from: "", to: "" });
  const [isPreviewShown, setIsPreviewShown] = useState(false);
  const result = useMemo(() => resolvePeriod(choice, catalog.timeZone), [choice, catalog.timeZone]);
  const period = "period" in result ? result.period : null;
  const packsQuery = useEvidencePacks(catalog.id);
  return (
    <div className="space-y-8">
      <Section title="Period" description="The windows that start in the period are assessed.">
        <PeriodPicker choice={choice} result={result} timeZone={catalog.timeZone} onChange={setChoice} />
      </Section>
      {hasRole(role, "DEVELOPER") && (
        <Section
          title="Evidence pack"
          description="A ZIP with the period's points, evidence, hash chains, OSCAL documents and report, signed by this instance."
        >
          <StartEvidencePack
            catalogId={catalog.id}
            period={period?.query ?? null}
            createEventSource={createEventSource}
          />
        </Section>
      )}
      <Section
        title="OSCAL documents"
        description="The period's assessment results, plan of action and milestones, and the plan they import."
      >
        <OscalDownloads catalogId={catalog.id} period={period} />
      </Section>
      <Section title="Period report">
        <ReportPreview
          catalogId={catalog.id}
          period={period}
          isShown={isPreviewShown}
          onShow={() => setIsPreviewShown(true)}
        />
      </Section>
      <Section title="Signing key">
        <PublicKeyPanel />
      </Section>
      <Section title="Packs built before">
        {packsQuery.isPending && <PageSpinner label="Loading the evidence packs" />}
        {packsQuery.isError && (
          <LoadError
            title="The evidence packs could not be loaded"
            error={packsQuery.error}
            onRetry={() => void packsQuery.refetch()}
          />
        )}
        {packsQuery.data?.length === 0 && <EmptyState title="No evidence packs yet" />}
        {packsQuery.data && packsQuery.data.length > 0 && (
          <EvidencePacksTable packs={packsQuery.data} timeZone={catalog.timeZone} nameOf={nameOf} />
        )}
      </Section>
    </div>
  );
}
