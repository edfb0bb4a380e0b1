import { CopyButton } from "@/components/ui/copy-button.tsx";

/**
 * A SHA-256 digest, shortened to its first 12 hex digits so tables keep their width; the whole digest is in the
 * title and is what the copy button copies.
 */
export function Digest({
  label,
  value,
  copyLabel = `Copy the SHA-256 of the ${label.toLowerCase()}`,
}: {
  label: string;
  value: string | null;
  copyLabel?: string;
}) {
  if (value === null) return null;
  return (
    <div className="flex items-center gap-2 text-xs">
      <span className="w-16 shrink-0 text-zinc-500 dark:text-zinc-400">{label}</span>
      <code className="font-mono" title={value}>
        {value.slice(0, 12)}…
      </code>
      <CopyButton value={value} label={copyLabel} className="h-6 px-2 text-xs" />
    </div>
  );
}
