/**
 * Absolute links for MCP answers, from the configured PUBLIC_URL: an agent hands them to a person (the SPA page) or
 * follows them with the same token (the API resource).
 */
export interface Links {
  app: string;
  api: string;
}

export function catalogLinks(publicUrl: string, catalogId: string): Links {
  return { app: `${publicUrl}/catalogs/${catalogId}`, api: `${publicUrl}/api/v1/catalogs/${catalogId}` };
}

export function controlLinks(publicUrl: string, catalogId: string, controlId: string): Links {
  return {
    app: `${publicUrl}/catalogs/${catalogId}/controls/${controlId}`,
    api: `${publicUrl}/api/v1/controls/${controlId}`,
  };
}
