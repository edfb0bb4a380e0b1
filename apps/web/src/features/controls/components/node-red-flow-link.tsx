import { clsx } from "clsx";
import { buttonVariants } from "@/components/ui/button.tsx";
import { API_BASE_URL } from "@/lib/api-client.ts";

/** Opens the control's flow in the Node-RED editor, in a new tab; the API redirects there after checking the role. */
export function NodeRedFlowLink({ mashupId }: { mashupId: string }) {
  return (
    <a
      href={`${API_BASE_URL}/mashups/editor?flow=${encodeURIComponent(mashupId)}`}
      target="_blank"
      rel="noopener noreferrer"
      className={clsx(buttonVariants({ variant: "secondary", size: "md" }))}
    >
      View Node-RED flow
      <span className="sr-only"> (opens in a new tab)</span>
      <span aria-hidden="true">↗</span>
    </a>
  );
}
