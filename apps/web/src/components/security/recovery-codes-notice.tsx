import { Alert } from "../ui/alert.tsx";
import { Button } from "../ui/button.tsx";

/** Recovery codes are shown once: the user keeps them somewhere safe before going on. */
export function RecoveryCodesNotice({
  codes,
  onDone,
  doneLabel,
}: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
}) {
  return (
    <div className="space-y-3">
      <Alert variant="info" title="Save your recovery codes">
        Each code signs you in once if you lose your authenticator. You will not see them again.
      </Alert>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code} className="rounded bg-zinc-100 px-2 py-1 dark:bg-zinc-800">
            {code}
          </li>
        ))}
      </ul>
      <Button onClick={onDone}>{doneLabel}</Button>
    </div>
  );
}
