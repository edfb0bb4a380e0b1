import {
  SoaRowSchema,
  StatementOfApplicabilitySchema,
  type SetApplicabilityBody,
  type SoaRow,
  type StatementOfApplicability,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { API_BASE_URL, apiClient } from "@/lib/api-client.ts";
import { assessmentKeys } from "./assessment-keys.ts";

/** Every requirement of a framework: whether it applies and why, and the controls mapped to it with their state. */
export async function getStatementOfApplicability(
  frameworkId: string,
  signal?: AbortSignal,
): Promise<StatementOfApplicability> {
  const response = await apiClient.get(`/frameworks/${encodeURIComponent(frameworkId)}/statement-of-applicability`, {
    signal,
  });
  return StatementOfApplicabilitySchema.parse(response.data);
}

export function getStatementOfApplicabilityQueryOptions(frameworkId: string) {
  return queryOptions({
    queryKey: assessmentKeys.soa(frameworkId),
    queryFn: ({ signal }) => getStatementOfApplicability(frameworkId, signal),
  });
}

export function useStatementOfApplicability(frameworkId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...getStatementOfApplicabilityQueryOptions(frameworkId), enabled });
}

/** A plain link: the API answers the file with its name (`attachment`), and the browser saves it. */
export function statementOfApplicabilityFileUrl(frameworkId: string, format: "xlsx" | "csv" | "json"): string {
  return `${API_BASE_URL}/frameworks/${encodeURIComponent(frameworkId)}/statement-of-applicability?format=${format}`;
}

export async function setApplicability(requirementId: string, body: SetApplicabilityBody): Promise<SoaRow> {
  const response = await apiClient.put(`/requirements/${encodeURIComponent(requirementId)}/applicability`, body);
  return SoaRowSchema.parse(response.data);
}

/** Saves one requirement's decision and puts the answered row in place in the framework's statement. */
export function useSetApplicability(frameworkId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ requirementId, body }: { requirementId: string; body: SetApplicabilityBody }) =>
      setApplicability(requirementId, body),
    onSuccess: (row) => {
      queryClient.setQueryData<StatementOfApplicability>(assessmentKeys.soa(frameworkId), (statement) =>
        statement
          ? {
              ...statement,
              rows: statement.rows.map((candidate) =>
                candidate.requirementId === row.requirementId ? row : candidate,
              ),
            }
          : statement,
      );
    },
  });
}
