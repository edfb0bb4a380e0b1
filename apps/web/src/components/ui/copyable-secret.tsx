import { useClipboardCopy } from "@/lib/use-clipboard-copy.ts";
import { Button } from "./button.tsx";
import { Input } from "./input.tsx";

/**
 * A secret shown once (an API token, a webhook's signing secret): read-only, selected on focus, with a copy button
 * and a hint to copy by hand when the clipboard refuses.
 */
export function CopyableSecret({ value, label, what }: { value: string; label: string; what: string }) {
  const { copyState, copy } = useClipboardCopy(value);
  return (
    <div>
      <div className="flex gap-2">
        <Input
          readOnly
          value={value}
          aria-label={label}
          className="font-mono"
          onFocus={(event) => event.target.select()}
        />
        <Button variant="secondary" onClick={() => void copy()}>
          {copyState === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copyState === "failed" && (
        <p className="mt-1 text-sm text-red-600 dark:text-red-400">
          Copying failed; select the {what} and copy it by hand.
        </p>
      )}
    </div>
  );
}
