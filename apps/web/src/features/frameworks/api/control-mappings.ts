import {
  ControlRequirementMappingListSchema,
  ControlRequirementMappingSchema,
  type ControlRequirementMapping,
  type CreateMappingBody,
} from "@status/shared";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";
import { frameworkKeys } from "./framework-keys.ts";

function mappingsPath(controlId: string): string {
  return `/controls/${encodeURIComponent(controlId)}/requirements`;
}

/** The requirements a control is mapped to, in any framework. */
export async function getControlMappings(
  controlId: string,
  signal?: AbortSignal,
): Promise<ControlRequirementMapping[]> {
  const response = await apiClient.get(mappingsPath(controlId), { signal });
  return ControlRequirementMappingListSchema.parse(response.data).items;
}

export function getControlMappingsQueryOptions(controlId: string) {
  return queryOptions({
    queryKey: frameworkKeys.controlMappings(controlId),
    queryFn: ({ signal }) => getControlMappings(controlId, signal),
  });
}

export function useControlMappings(controlId: string) {
  return useQuery(getControlMappingsQueryOptions(controlId));
}

/** DEVELOPER or ADMIN; mapping the same requirement again replaces its relationship and rationale. */
export async function mapRequirement(controlId: string, body: CreateMappingBody): Promise<ControlRequirementMapping> {
  const response = await apiClient.post(mappingsPath(controlId), body);
  return ControlRequirementMappingSchema.parse(response.data);
}

/** DEVELOPER or ADMIN. */
export async function unmapRequirement(controlId: string, requirementId: string): Promise<void> {
  await apiClient.delete(`${mappingsPath(controlId)}/${encodeURIComponent(requirementId)}`);
}

/** A mapping moves the roll-up of its framework, so every cached framework query is refreshed with the list. */
function useInvalidateMappings() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: frameworkKeys.all });
}

export function useMapRequirement(controlId: string) {
  const invalidate = useInvalidateMappings();
  return useMutation({
    mutationFn: (body: CreateMappingBody) => mapRequirement(controlId, body),
    onSuccess: invalidate,
  });
}

export function useUnmapRequirement(controlId: string) {
  const invalidate = useInvalidateMappings();
  return useMutation({
    mutationFn: (requirementId: string) => unmapRequirement(controlId, requirementId),
    onSuccess: invalidate,
  });
}
