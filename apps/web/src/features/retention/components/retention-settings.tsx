import {
  RetentionCategorySchema,
  UpdateRetentionBodySchema,
  type Retention,
  type RetentionCategory,
  type RetentionCategoryStatus,
} from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Input } from "@/components/ui/input.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatBytes, formatCount, formatDateTime } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useRetention, useUpdateRetention } from "../api/retention.ts";

const CATEGORIES = RetentionCategorySchema.options;

/** One text input per category: a number of days, or blank for forever. */
const RetentionInputsSchema = z.object(
  Object.fromEntries(CATEGORIES.map((category) => [category, z.string()])) as Record<RetentionCategory, z.ZodString>,
);

const RetentionFormSchema = RetentionInputsSchema.transform((values) =>
  Object.fromEntries(
    CATEGORIES.map((category) => {
      const text = values[category].trim();
      return [category, text === "" ? null : Number(text)];
    }),
  ),
).pipe(UpdateRetentionBodySchema);

function periodText(days: number | null): string {
  return days === null ? "forever" : formatCount(days, "day");
}

const PRUNED_LABELS: Record<string, string> = {
  evidences: "evidences",
  computations_pruned: "computations' detail",
  runs: "runs",
  run_batches: "run batches",
  conversations: "conversations",
  sessions: "sessions",
  refresh_tokens: "expired refresh tokens",
  audit_entries: "audit entries",
};

function LastRun({ lastRun }: { lastRun: Retention["lastRun"] }) {
  if (!lastRun)
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing has been pruned yet; pruning runs daily.</p>;
  const entries = Object.entries(lastRun.pruned);
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400">
      Last pruning {formatDateTime(lastRun.startedAt)}
      {lastRun.finishedAt ? "" : " (did not finish)"}:{" "}
      {entries.length === 0
        ? "nothing had expired."
        : `${entries.map(([name, count]) => `${count.toLocaleString()} ${PRUNED_LABELS[name] ?? name}`).join(", ")}.`}
    </p>
  );
}

function SizeCell({ category }: { category: RetentionCategoryStatus }) {
  return (
    <TableCell className="whitespace-nowrap">
      {category.isRowCountEstimated ? "≈ " : ""}
      {formatCount(category.rowCount, category.rowLabel.replace(/s$/, ""), category.rowLabel)} ·{" "}
      {formatBytes(category.sizeBytes)}
    </TableCell>
  );
}

function RetentionForm({ retention }: { retention: Retention }) {
  const update = useUpdateRetention();
  const editable = new Map(retention.categories.map((category) => [category.category, category]));
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: RetentionFormSchema,
    defaultValues: Object.fromEntries(
      CATEGORIES.map((category) => [category, String(editable.get(category)?.keepDays ?? "")]),
    ),
    mutation: update,
    fields: CATEGORIES,
  });
  const errors = form.formState.errors;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      {update.isSuccess && <Alert variant="info">The retention periods were saved.</Alert>}
      <Table aria-label="Retention">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Data</TableHeaderCell>
            <TableHeaderCell>Keep for (days)</TableHeaderCell>
            <TableHeaderCell>Stored now</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {retention.categories.map((category) => {
            const inputId = `retention-${category.category}`;
            const error = category.isEditable ? errors[category.category as RetentionCategory]?.message : undefined;
            return (
              <TableRow key={category.category}>
                <TableCell>
                  <label htmlFor={category.isEditable ? inputId : undefined} className="font-medium">
                    {category.label}
                  </label>
                  <p className="max-w-prose text-xs text-zinc-500 dark:text-zinc-400">{category.description}</p>
                </TableCell>
                <TableCell className="align-top">
                  {category.isEditable ? (
                    <div className="w-40 space-y-1">
                      <Input
                        id={inputId}
                        inputMode="numeric"
                        placeholder="Forever"
                        aria-invalid={Boolean(error)}
                        aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ""}`}
                        {...form.register(category.category as RetentionCategory)}
                      />
                      <p id={`${inputId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
                        Blank: forever. Default {periodText(category.defaultKeepDays)}, at least{" "}
                        {periodText(category.minKeepDays)}.
                      </p>
                      {error && (
                        <p id={`${inputId}-error`} className="text-sm text-red-600 dark:text-red-400">
                          {error}
                        </p>
                      )}
                    </div>
                  ) : (
                    <Badge tone="neutral">Always kept</Badge>
                  )}
                </TableCell>
                <SizeCell category={category} />
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <LastRun lastRun={retention.lastRun} />
      <div className="flex justify-end">
        <Button type="submit" isLoading={isPending}>
          Save retention
        </Button>
      </div>
    </form>
  );
}

/** ADMIN: how long each kind of data is kept, what it takes up now, and what the daily pruning last removed. */
export function RetentionSettings() {
  const retention = useRetention();
  if (retention.isPending) return <Spinner label="Loading retention" />;
  if (retention.isError)
    return (
      <LoadError
        title="The retention settings could not be loaded"
        error={retention.error}
        onRetry={() => void retention.refetch()}
      />
    );
  return <RetentionForm retention={retention.data} />;
}
