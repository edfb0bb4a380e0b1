import { useState } from "react";

/** Copies text to the clipboard and remembers whether it worked, for a "Copied" label or a copy-by-hand hint. */
export function useClipboard(value: string) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  };
  return { copyState, copy };
}
