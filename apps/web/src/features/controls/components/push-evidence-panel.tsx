import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { useClipboardCopy } from "@/components/ui/copy-button.tsx";
import { getControlScopeSetsQueryOptions } from "../api/get-control-scope-sets.ts";
import { pushCurlExample, pushEvidencePath, pushTokenPath, samplePushBody } from "../utils/push-example.ts";

/** The scope sets the sample body draws from: the first page is enough for an example. */
const SAMPLE_SCOPE_QUERY = { page: 1, pageSize: 25 };

/**
 * How evidence reaches a push control: its endpoint, a ready-to-copy `curl` with an Idempotency-Key and a sample body
 * built from the control's scope sets, and a link to create a token scoped to this control.
 */
export function PushEvidencePanel({ controlId }: { controlId: string }) {
  const scopeSets = useQuery(getControlScopeSetsQueryOptions(controlId, SAMPLE_SCOPE_QUERY));
  const example = pushCurlExample({
    origin: window.location.origin,
    controlId,
    body: samplePushBody(scopeSets.data?.items ?? []),
  });
  const { copyState, copy } = useClipboardCopy(example);
  return (
    <section
      aria-labelledby="push-evidence-heading"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="push-evidence-heading" className="text-lg font-semibold">
        Push evidence
      </h2>
      <p className="text-sm">
        This control has no mashup: a CI job or script sends its evidence to{" "}
        <code className="text-xs">POST {pushEvidencePath(controlId)}</code>. Each submission is stored; when a window
        closes, the last submission received while it was open makes the window&apos;s point. Evidence that arrives
        after the point is kept, marked late, and does not change it.
      </p>
      {scopeSets.error && (
        <Alert title="The scope sets could not be read">
          The example has no scope; the control may need one of its scope sets.
        </Alert>
      )}
      <div className="relative">
        <pre
          aria-label="curl example"
          className="overflow-x-auto rounded bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800"
        >
          {example}
        </pre>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => void copy()}>
          {copyState === "copied" ? "Copied" : "Copy curl"}
        </Button>
        <Link to={pushTokenPath(controlId)} className="text-sm text-indigo-700 underline dark:text-indigo-300">
          Create a token for this control
        </Link>
      </div>
      {copyState === "failed" && (
        <p className="text-sm text-red-600 dark:text-red-400">
          Copying failed; select the example and copy it by hand.
        </p>
      )}
    </section>
  );
}
