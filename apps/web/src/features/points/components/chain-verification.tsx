import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatCount, formatDateTime } from "@/lib/format.ts";
import { usePointChainVerification } from "../api/verify-point-chain.ts";

/** Whether the control's points still form an unbroken hash chain, with a button to check again. */
export function ChainVerification({ controlId }: { controlId: string }) {
  const verificationQuery = usePointChainVerification(controlId);
  const verification = verificationQuery.data;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" aria-live="polite">
      {verificationQuery.isPending && <Spinner label="Verifying the chain of points" />}
      {verificationQuery.isError && <Badge tone="warning">Chain not verified: {verificationQuery.error.message}</Badge>}
      {verification &&
        (verification.isIntact ? (
          <Badge tone="success">Chain intact — {formatCount(verification.pointCount, "point")}</Badge>
        ) : (
          <Badge tone="danger">Chain broken: {verification.problem ?? "a point does not match its hash"}</Badge>
        ))}
      {verification && (
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          Checked {formatDateTime(verification.checkedAt)}
          {verification.firstBrokenPointId && (
            <>
              {" "}
              · first broken point <code>{verification.firstBrokenPointId}</code>
            </>
          )}
        </span>
      )}
      <Button
        variant="secondary"
        size="sm"
        isLoading={verificationQuery.isFetching && !verificationQuery.isPending}
        disabled={verificationQuery.isPending}
        onClick={() => void verificationQuery.refetch()}
      >
        Verify again
      </Button>
    </div>
  );
}
