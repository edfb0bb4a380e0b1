/** Query keys of the scanner import feature. */
export const evidenceImportKeys = {
  all: ["evidence-import"] as const,
  mappings: (catalogId: string) => [...evidenceImportKeys.all, "mappings", catalogId] as const,
  controls: (catalogId: string) => [...evidenceImportKeys.all, "controls", catalogId] as const,
};
