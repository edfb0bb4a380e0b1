import { buttonVariants } from "@/components/ui/button.tsx";
import { SessionDownloadLink } from "@/components/ui/session-download-link.tsx";
import { statementOfApplicabilityFileUrl } from "../api/statement-of-applicability.ts";

const FORMATS = [
  { format: "xlsx", label: "XLSX" },
  { format: "csv", label: "CSV" },
  { format: "json", label: "JSON" },
] as const;

/** The statement as a file: links the browser saves under the statement's name. */
export function SoaExports({ frameworkId }: { frameworkId: string }) {
  return (
    <div className="flex flex-wrap gap-2">
      {FORMATS.map(({ format, label }) => (
        <SessionDownloadLink
          key={format}
          href={statementOfApplicabilityFileUrl(frameworkId, format)}
          download={`statement-of-applicability-${frameworkId}.${format}`}
          className={buttonVariants({ variant: "secondary", size: "sm" })}
        >
          Export {label}
        </SessionDownloadLink>
      ))}
    </div>
  );
}
