export function frameworkPath(frameworkId: string): string {
  return `/frameworks/${encodeURIComponent(frameworkId)}`;
}
