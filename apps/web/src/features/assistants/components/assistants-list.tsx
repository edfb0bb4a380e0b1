import { ASSISTANT_TOOLS, type AssistantListQuery } from "@status/shared";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { useAssistants } from "../api/get-assistants.ts";
import { DeleteAssistantDialog, DocumentsDialog, EditAssistantDialog } from "./assistant-dialogs.tsx";

export function AssistantsList({
  query,
  canEdit,
  onPageChange,
}: {
  query: AssistantListQuery;
  canEdit: boolean;
  onPageChange: (page: number) => void;
}) {
  const assistants = useAssistants(query);
  if (assistants.isPending) return <Spinner label="Loading assistants" />;
  if (assistants.isError) return <Alert title="The assistants could not be loaded">{assistants.error.message}</Alert>;
  if (assistants.data.items.length === 0) {
    return (
      <EmptyState title="No assistants yet">
        {canEdit ? "Create one to let users ask about compliance." : "A developer has not set one up yet."}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      <Table>
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Model</TableHeaderCell>
            <TableHeaderCell>Tools</TableHeaderCell>
            <TableHeaderCell>
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {assistants.data.items.map((assistant) => (
            <TableRow key={assistant.id}>
              <TableCell>
                <Link
                  to={`/assistants/${assistant.id}`}
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {assistant.name}
                </Link>
                {!assistant.isEnabled && (
                  <span className="ml-2">
                    <Badge tone="warning">disabled</Badge>
                  </span>
                )}
                {assistant.description && (
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">{assistant.description}</p>
                )}
              </TableCell>
              <TableCell>{assistant.model ?? <span className="text-zinc-500">default</span>}</TableCell>
              <TableCell className="text-xs">
                {assistant.tools.length === 0
                  ? "none"
                  : assistant.tools.map((tool) => ASSISTANT_TOOLS[tool].label).join(", ")}
              </TableCell>
              <TableCell>
                <div className="flex justify-end gap-1">
                  <DocumentsDialog assistant={assistant} canEdit={canEdit} />
                  {canEdit && <EditAssistantDialog assistant={assistant} />}
                  {canEdit && <DeleteAssistantDialog assistant={assistant} />}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {assistants.data.total > assistants.data.pageSize && (
        <Pagination
          page={assistants.data.page}
          pageSize={assistants.data.pageSize}
          total={assistants.data.total}
          onPageChange={onPageChange}
        />
      )}
    </div>
  );
}
