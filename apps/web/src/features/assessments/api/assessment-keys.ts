/** Query keys of the auditors' exports; a started pack invalidates its catalog's list through the same factory. */
export const assessmentKeys = {
  all: ["assessments"] as const,
  packLists: () => [...assessmentKeys.all, "packs"] as const,
  packList: (catalogId: string) => [...assessmentKeys.packLists(), catalogId] as const,
  pack: (packId: string) => [...assessmentKeys.all, "pack", packId] as const,
  publicKey: () => [...assessmentKeys.all, "public-key"] as const,
  reports: (catalogId: string) => [...assessmentKeys.all, "report", catalogId] as const,
  soa: (frameworkId: string) => [...assessmentKeys.all, "soa", frameworkId] as const,
};
