import { ASSISTANT_TOOLS, type AssistantListQuery } from "@status/shared";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
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
  const assistantsQuery = useAssistants(query);
  return (
    <PagedList
      query={assistantsQuery}
      loadingLabel="Loading assistants"
      errorTitle="The assistants could not be loaded"
      empty={{
        title: "No assistants yet",
        body: canEdit ? "Create one to let users ask about compliance." : "A developer has not set one up yet.",
      }}
      onPageChange={onPageChange}
      isPaginationHiddenOnOnePage
    >
      {(assistants) => (
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
            {assistants.map((assistant) => (
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
      )}
    </PagedList>
  );
}
