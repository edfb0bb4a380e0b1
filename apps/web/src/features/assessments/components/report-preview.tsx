import { Alert } from "@/components/ui/alert.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { SessionDownloadLink } from "@/components/ui/session-download-link.tsx";
import { periodReportPdfUrl, usePeriodReportHtml } from "../api/period-exports.ts";
import type { ResolvedPeriod } from "../utils/period.ts";

interface ReportPreviewProps {
  catalogId: string;
  period: ResolvedPeriod | null;
  isShown: boolean;
  onShow: () => void;
}

/**
 * The period report as the pack holds it: its HTML in a sandboxed frame (no scripts, no same origin: it is a
 * document to read, fetched with the session), and the PDF to download. Drawn on request, since a year takes a while.
 */
export function ReportPreview({ catalogId, period, isShown, onShow }: ReportPreviewProps) {
  const reportQuery = usePeriodReportHtml(catalogId, isShown && period ? period.query : null);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {!isShown && (
          <Button variant="secondary" size="sm" disabled={period === null} onClick={onShow}>
            Preview the report
          </Button>
        )}
        {period ? (
          <SessionDownloadLink
            href={periodReportPdfUrl(catalogId, period.query)}
            download
            className={buttonVariants({ size: "sm" })}
          >
            Download PDF
          </SessionDownloadLink>
        ) : (
          <Button size="sm" disabled>
            Download PDF
          </Button>
        )}
      </div>
      {isShown && period && reportQuery.isPending && <Spinner label="Drawing the report" />}
      {isShown && reportQuery.isError && (
        <Alert title="The report could not be drawn">{reportQuery.error.message}</Alert>
      )}
      {isShown && reportQuery.data !== undefined && (
        <iframe
          title="Period report preview"
          sandbox=""
          srcDoc={reportQuery.data}
          className="h-[70vh] w-full rounded-lg border border-zinc-200 bg-white dark:border-zinc-800"
        />
      )}
    </div>
  );
}
