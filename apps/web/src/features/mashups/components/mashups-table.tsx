import type { Mashup } from "@status/shared";
import { clsx } from "clsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { API_BASE_URL } from "@/lib/api-client.ts";
import { formatInputDefault } from "../utils/mashup-inputs.ts";

interface MashupsTableProps {
  mashups: Mashup[];
  isUpdating: boolean;
  /** DEVELOPER and ADMIN: "Open in editor" and "Test". */
  canDevelop: boolean;
  onTest: (mashup: Mashup) => void;
}

export function MashupsTable({ mashups, isUpdating, canDevelop, onTest }: MashupsTableProps) {
  return (
    <Table aria-label="Mashups" aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Mashup</TableHeaderCell>
          <TableHeaderCell>Endpoint</TableHeaderCell>
          <TableHeaderCell>Inputs</TableHeaderCell>
          {canDevelop && (
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          )}
        </tr>
      </TableHead>
      <TableBody>
        {mashups.map((mashup) => (
          <TableRow key={mashup.id}>
            <TableCell className="max-w-sm">
              <span className="font-medium">{mashup.name}</span>
              <code className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">{mashup.id}</code>
              {mashup.description && (
                <p className="mt-1 line-clamp-2 text-xs text-zinc-600 dark:text-zinc-400">{mashup.description}</p>
              )}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <code className="text-xs">
                {mashup.method} {mashup.url}
              </code>
            </TableCell>
            <TableCell>
              {mashup.inputs.length === 0 ? (
                <span className="text-zinc-400">None</span>
              ) : (
                <ul className="space-y-0.5 text-xs">
                  {mashup.inputs.map((input) => (
                    <li key={input.name}>
                      <code>{input.name}</code> <span className="text-zinc-500">({input.type})</span>
                      {input.type !== "secret" && formatInputDefault(input.default) && (
                        <span className="text-zinc-500"> = {formatInputDefault(input.default)}</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </TableCell>
            {canDevelop && (
              <TableCell className="text-right whitespace-nowrap">
                <div className="flex justify-end gap-1">
                  <a
                    href={`${API_BASE_URL}/mashups/editor?flow=${encodeURIComponent(mashup.id)}`}
                    target="_blank"
                    rel="noopener noreferrer"
                    className={clsx(buttonVariants({ variant: "secondary", size: "sm" }))}
                  >
                    Open in editor<span className="sr-only"> {mashup.name} (opens in a new tab)</span>
                  </a>
                  <Button size="sm" aria-label={`Test ${mashup.name}`} onClick={() => onTest(mashup)}>
                    Test
                  </Button>
                </div>
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
