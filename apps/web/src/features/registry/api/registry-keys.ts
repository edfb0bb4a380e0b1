/** Query keys of the registry feature; mutations invalidate through the same factory. */
export const registryKeys = {
  all: ["registry"] as const,
  publications: () => [...registryKeys.all, "publication"] as const,
  publication: (catalogId: string) => [...registryKeys.publications(), catalogId] as const,
};
