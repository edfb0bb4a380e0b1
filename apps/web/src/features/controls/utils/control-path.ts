/** The address of a control's page, under its catalog. */
export function controlPath(catalogId: string, controlId: string): string {
  return `/catalogs/${catalogId}/controls/${controlId}`;
}
