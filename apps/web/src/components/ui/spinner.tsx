import { clsx } from "clsx";

export function Spinner({ size = "md", label }: { size?: "sm" | "md"; label?: string }) {
  return (
    <span role={label ? "status" : undefined} className="inline-flex items-center gap-2">
      <span
        aria-hidden="true"
        className={clsx(
          "inline-block animate-spin rounded-full border-2 border-current border-r-transparent",
          size === "sm" ? "size-3.5" : "size-5",
        )}
      />
      {label && <span className="sr-only">{label}</span>}
    </span>
  );
}

/** Full-area placeholder while a route module or its first data loads. */
export function PageSpinner({ label = "Loading" }: { label?: string }) {
  return (
    <div className="flex min-h-48 items-center justify-center text-zinc-500">
      <Spinner label={label} />
    </div>
  );
}
