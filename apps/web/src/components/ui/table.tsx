import { clsx } from "clsx";
import type { ComponentProps } from "react";

/**
 * A table in a horizontally scrollable frame, so narrow viewports scroll it instead of squeezing columns. The frame
 * is positioned so that visually hidden (absolutely positioned) labels in columns scrolled out of view stay inside
 * it rather than widening the whole page.
 */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className={clsx("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function TableHead(props: ComponentProps<"thead">) {
  return (
    <thead className="bg-zinc-50 text-xs text-zinc-600 uppercase dark:bg-zinc-900 dark:text-zinc-400" {...props} />
  );
}

export function TableBody(props: ComponentProps<"tbody">) {
  return <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800" {...props} />;
}

export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={clsx("hover:bg-zinc-50 dark:hover:bg-zinc-800/50", className)} {...props} />;
}

export function TableHeaderCell({ className, ...props }: ComponentProps<"th">) {
  return <th scope="col" className={clsx("px-2 py-2.5 font-medium whitespace-nowrap lg:px-4", className)} {...props} />;
}

export function TableCell({ className, ...props }: ComponentProps<"td">) {
  return <td className={clsx("px-2 py-3 align-top lg:px-4", className)} {...props} />;
}
