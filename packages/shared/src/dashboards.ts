import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, SearchTermSchema, pageSchema } from "./common.ts";

/** A Grafana uid: at most 40 letters, digits, `-` or `_` (Grafana's own rule), so it is safe in any URL path. */
export const GrafanaUidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "Must be 1–40 letters, digits, '-' or '_'");

export const DashboardUidParamsSchema = z.strictObject({ uid: GrafanaUidSchema });
export type DashboardUidParams = z.infer<typeof DashboardUidParamsSchema>;

/** A Grafana folder. */
export const DashboardFolderSchema = z.object({
  uid: GrafanaUidSchema,
  title: z.string(),
});
export type DashboardFolder = z.infer<typeof DashboardFolderSchema>;

export const DashboardFolderListSchema = z.object({ items: z.array(DashboardFolderSchema) });
export type DashboardFolderList = z.infer<typeof DashboardFolderListSchema>;

export const CreateDashboardFolderBodySchema = z.strictObject({
  title: z.string().trim().min(1).max(100),
});
export type CreateDashboardFolderBody = z.infer<typeof CreateDashboardFolderBodySchema>;

/** A dashboard as listed: where it lives and the path browsers open it at (under GRAFANA_PUBLIC_PATH). */
export const DashboardSummarySchema = z.object({
  uid: GrafanaUidSchema,
  title: z.string(),
  /** The browser path of the dashboard, e.g. `/grafana/d/abc/compliance`. */
  url: z.string(),
  folderUid: GrafanaUidSchema.nullable(),
  folderTitle: z.string().nullable(),
  tags: z.array(z.string()),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

export const DashboardListQuerySchema = z.strictObject({
  ...PageQueryShape,
  q: SearchTermSchema,
  folderUid: GrafanaUidSchema.optional(),
});
export type DashboardListQuery = z.infer<typeof DashboardListQuerySchema>;

export const DashboardPageSchema = pageSchema(DashboardSummarySchema);

/** One panel of a dashboard, as the SPA embeds it. */
export const DashboardPanelSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  type: z.string(),
});
export type DashboardPanel = z.infer<typeof DashboardPanelSchema>;

/**
 * A dashboard's JSON model, as Grafana stores it. Only what STATUS relies on is checked; the rest passes through,
 * so dashboards exported from Grafana import unchanged.
 */
export const DashboardModelSchema = z.looseObject({
  title: z.string().trim().min(1).max(200),
  uid: GrafanaUidSchema.nullish(),
  id: z.number().int().nullish(),
  version: z.number().int().min(0).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  panels: z
    .array(
      z.looseObject({
        id: z.number().int().optional(),
        type: z.string().max(100).optional(),
        title: z.string().max(500).optional(),
      }),
    )
    .max(500)
    .optional(),
});
export type DashboardModel = z.infer<typeof DashboardModelSchema>;

/** A dashboard with its JSON model: what export answers and what the SPA downloads. */
export const DashboardDetailSchema = z.object({
  // As Grafana stores it: none of the import limits apply to what is already there.
  dashboard: z.looseObject({ title: z.string(), uid: z.string().nullish(), version: z.number().int().optional() }),
  meta: z.object({
    url: z.string(),
    folderUid: GrafanaUidSchema.nullable(),
    folderTitle: z.string().nullable(),
    version: z.number().int(),
    updated: z.string().nullable(),
    /** Where browsers load one panel alone (append `?panelId=N&orgId=1&theme=light`), e.g. `/grafana/d-solo/abc`. */
    embedPath: z.string(),
  }),
  panels: z.array(DashboardPanelSchema),
});
export type DashboardDetail = z.infer<typeof DashboardDetailSchema>;

/** What Grafana answers on save, with the browser path. */
export const SavedDashboardSchema = z.object({
  uid: GrafanaUidSchema,
  title: z.string(),
  url: z.string(),
  version: z.number().int(),
  folderUid: GrafanaUidSchema.nullable(),
});
export type SavedDashboard = z.infer<typeof SavedDashboardSchema>;

/** The dashboards STATUS can create: every panel query is fixed SQL over the `reporting` views. */
export const DashboardTemplateSchema = z.enum(["catalog_compliance", "failing_controls", "control_points"]);
export type DashboardTemplate = z.infer<typeof DashboardTemplateSchema>;

export const DASHBOARD_TEMPLATES: Record<
  DashboardTemplate,
  { label: string; description: string; needs: "catalogId" | "controlId" | null }
> = {
  catalog_compliance: {
    label: "Compliance of a catalog over time",
    description: "Daily compliance, points evaluated and the catalog's failing controls",
    needs: "catalogId",
  },
  failing_controls: {
    label: "Failing controls",
    description: "Every control whose latest point failed, across catalogs",
    needs: null,
  },
  control_points: {
    label: "Points of a control",
    description: "A control's value against its threshold over time, and its latest points",
    needs: "controlId",
  },
};

export const CreateDashboardBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    template: DashboardTemplateSchema,
    folderUid: GrafanaUidSchema.nullable().default(null),
    /** The catalog shown first (the `catalog_id` variable); required by `catalog_compliance`. */
    catalogId: IdSchema.optional(),
    /** The control shown first (the `control_id` variable); required by `control_points`. */
    controlId: IdSchema.optional(),
  })
  .refine((body) => DASHBOARD_TEMPLATES[body.template].needs !== "catalogId" || body.catalogId, {
    message: "This template needs a catalog",
    path: ["catalogId"],
  })
  .refine((body) => DASHBOARD_TEMPLATES[body.template].needs !== "controlId" || body.controlId, {
    message: "This template needs a control",
    path: ["controlId"],
  });
export type CreateDashboardBody = z.infer<typeof CreateDashboardBodySchema>;

/** Imports are limited in size (the JSON text of the model), beside the API's body limit. */
export const MAX_IMPORTED_DASHBOARD_BYTES = 512 * 1024;

export const ImportDashboardBodySchema = z.strictObject({
  dashboard: DashboardModelSchema.refine(
    (model) => new TextEncoder().encode(JSON.stringify(model)).length <= MAX_IMPORTED_DASHBOARD_BYTES,
    `The dashboard JSON must be at most ${MAX_IMPORTED_DASHBOARD_BYTES / 1024} KiB`,
  ),
  folderUid: GrafanaUidSchema.nullable().default(null),
  /** Replace a dashboard with the same uid (or title in the folder); otherwise such an import is a conflict. */
  overwrite: z.boolean().default(false),
});
export type ImportDashboardBody = z.infer<typeof ImportDashboardBodySchema>;

/** A Grafana panel linked to a control, with titles as they were when linked (shown without asking Grafana). */
export const ControlPanelSchema = z.object({
  id: IdSchema,
  controlId: IdSchema,
  dashboardUid: GrafanaUidSchema,
  panelId: z.number().int(),
  dashboardTitle: z.string(),
  panelTitle: z.string(),
  /** The browser path of the whole dashboard, e.g. `/grafana/d/abc`. */
  dashboardUrl: z.string(),
  /** Where browsers load the panel alone (append `?panelId=N&orgId=1&theme=light`), e.g. `/grafana/d-solo/abc`. */
  embedPath: z.string(),
  createdAt: IsoDateTimeSchema,
});
export type ControlPanel = z.infer<typeof ControlPanelSchema>;

export const ControlPanelListSchema = z.object({ items: z.array(ControlPanelSchema) });

export const LinkControlPanelBodySchema = z.strictObject({
  dashboardUid: GrafanaUidSchema,
  panelId: z.number().int().min(0).max(1_000_000),
});
export type LinkControlPanelBody = z.infer<typeof LinkControlPanelBodySchema>;

export const ControlPanelParamsSchema = z.strictObject({ id: IdSchema, linkId: IdSchema });
