import { useState } from "react";
import { Button, type ButtonProps } from "./button.tsx";

type CopyState = "idle" | "copied" | "failed";

/** Copies text to the clipboard and remembers whether that worked (the clipboard may refuse, e.g. without focus). */
export function useClipboardCopy(value: string) {
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

/**
 * A small "Copy" button for a value shown shortened (a digest in a table); the full value is in its title, so it can
 * be selected by hand when the clipboard refuses.
 */
export function CopyButton({
  value,
  label,
  ...props
}: { value: string; label: string } & Omit<ButtonProps, "onClick" | "children">) {
  const { copyState, copy } = useClipboardCopy(value);
  return (
    <Button variant="secondary" size="sm" aria-label={label} title={value} onClick={() => void copy()} {...props}>
      {copyState === "copied" ? "Copied" : copyState === "failed" ? "Copy failed" : "Copy"}
    </Button>
  );
}
