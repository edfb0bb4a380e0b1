import { useState } from "react";

export type CopyState = "idle" | "copied" | "failed";

/** Copies text to the clipboard and says how it went: a refused clipboard shows a hint to copy by hand. */
export function useClipboardCopy(value: string): { copyState: CopyState; copy: () => Promise<void> } {
  const [copyState, setCopyState] = useState<CopyState>("idle");
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
