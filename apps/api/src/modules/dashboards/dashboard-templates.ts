import { DASHBOARD_TEMPLATES, type DashboardTemplate } from "@status/shared";

/**
 * The dashboards STATUS creates. Every panel query is fixed SQL text over the `reporting` views; what varies (the
 * catalog or control shown) is a Grafana dashboard variable, inserted by Grafana with the `sqlstring` format (quoted,
 * quotes doubled) and cast to uuid. No user input is ever concatenated into SQL here (the reference's defect 13).
 */

export interface TemplateSubject {
  catalog?: { id: string; name: string };
  control?: { id: string; name: string };
}

interface PanelSpec {
  type: "timeseries" | "stat" | "table";
  title: string;
  rawSql: string;
  format: "time_series" | "table";
  gridPos: { h: number; w: number; x: number; y: number };
  unit?: string;
}

/**
 * The dashboard variable of each subject a template needs (DASHBOARD_TEMPLATES[…].needs), and its choices: the
 * catalogs and controls with points, read from reporting.control_status (one row per control and scope with a point,
 * migration 0063) rather than from every point or every day of the rollup.
 */
const SUBJECT_VARIABLES = {
  catalogId: {
    name: "catalog_id",
    label: "Catalog",
    subject: "catalog",
    sql: "select distinct catalog_name as __text, catalog_id::text as __value from reporting.control_status order by 1",
  },
  controlId: {
    name: "control_id",
    label: "Control",
    subject: "control",
    sql: "select distinct control_name as __text, control_id::text as __value from reporting.control_status order by 1",
  },
} as const;

/** The panels of each template; `${catalog_id:sqlstring}` and `$__timeFilter(…)` are expanded by Grafana. */
export const TEMPLATE_PANELS: Record<DashboardTemplate, PanelSpec[]> = {
  catalog_compliance: [
    {
      type: "timeseries",
      title: "Compliance per day (%)",
      format: "time_series",
      unit: "percent",
      gridPos: { h: 9, w: 16, x: 0, y: 0 },
      rawSql: `select day as "time", compliance as "Compliance"
  from reporting.catalog_compliance_daily
 where catalog_id = \${catalog_id:sqlstring}::uuid and $__timeFilter(day)
 order by day`,
    },
    {
      type: "stat",
      title: "Points evaluated",
      format: "table",
      gridPos: { h: 9, w: 8, x: 16, y: 0 },
      rawSql: `select coalesce(sum(points), 0) as "Points", coalesce(sum(failed), 0) as "Failed"
  from reporting.catalog_compliance_daily
 where catalog_id = \${catalog_id:sqlstring}::uuid and $__timeFilter(day)`,
    },
    {
      type: "table",
      title: "Failing controls of the catalog",
      format: "table",
      gridPos: { h: 10, w: 24, x: 0, y: 9 },
      rawSql: `select control_name as "Control", scope_key as "Scope", value as "Value (%)", threshold as "Threshold (%)", window_end as "Window end"
  from reporting.control_status
 where catalog_id = \${catalog_id:sqlstring}::uuid and result = 'fail'
 order by control_name, scope_key`,
    },
  ],
  failing_controls: [
    {
      type: "stat",
      title: "Failing controls",
      format: "table",
      gridPos: { h: 6, w: 24, x: 0, y: 0 },
      rawSql: `select count(distinct control_id) as "Failing controls"
  from reporting.control_status
 where result = 'fail'`,
    },
    {
      type: "table",
      title: "Controls whose latest point failed",
      format: "table",
      gridPos: { h: 12, w: 24, x: 0, y: 6 },
      rawSql: `select catalog_name as "Catalog", control_name as "Control", scope_key as "Scope", value as "Value (%)", threshold as "Threshold (%)", window_end as "Window end"
  from reporting.control_status
 where result = 'fail'
 order by catalog_name, control_name, scope_key`,
    },
  ],
  control_points: [
    {
      type: "timeseries",
      title: "Value per window (%)",
      format: "time_series",
      unit: "percent",
      gridPos: { h: 9, w: 24, x: 0, y: 0 },
      rawSql: `select window_start as "time", scope_key as metric, value
  from reporting.points
 where control_id = \${control_id:sqlstring}::uuid and $__timeFilter(window_start)
 order by window_start`,
    },
    {
      type: "table",
      title: "Latest points",
      format: "table",
      gridPos: { h: 10, w: 24, x: 0, y: 9 },
      rawSql: `select window_start as "Window start", window_end as "Window end", scope_key as "Scope", value as "Value (%)", threshold as "Threshold (%)", result as "Result"
  from reporting.points
 where control_id = \${control_id:sqlstring}::uuid and $__timeFilter(window_start)
 order by window_start desc
 limit 200`,
    },
  ],
};

function datasourceRef(datasourceUid: string) {
  return { type: "grafana-postgresql-datasource", uid: datasourceUid };
}

function variablesFor(template: DashboardTemplate, subject: TemplateSubject, datasourceUid: string): unknown[] {
  const needs = DASHBOARD_TEMPLATES[template].needs;
  if (!needs) return [];
  const variable = SUBJECT_VARIABLES[needs];
  const current = subject[variable.subject];
  return [
    {
      type: "query",
      name: variable.name,
      label: variable.label,
      datasource: datasourceRef(datasourceUid),
      definition: variable.sql,
      query: variable.sql,
      refresh: 1,
      sort: 0,
      multi: false,
      includeAll: false,
      options: [],
      ...(current ? { current: { selected: true, text: current.name, value: current.id } } : {}),
    },
  ];
}

/** The JSON model of a new dashboard from a template; Grafana assigns its uid. */
export function buildTemplateDashboard(input: {
  title: string;
  template: DashboardTemplate;
  subject: TemplateSubject;
  datasourceUid: string;
}): Record<string, unknown> {
  const datasource = datasourceRef(input.datasourceUid);
  return {
    id: null,
    uid: null,
    title: input.title,
    tags: ["status", input.template.replaceAll("_", "-")],
    timezone: "utc",
    editable: true,
    schemaVersion: 39,
    time: { from: "now-90d", to: "now" },
    templating: { list: variablesFor(input.template, input.subject, input.datasourceUid) },
    panels: TEMPLATE_PANELS[input.template].map((panel, index) => ({
      id: index + 1,
      type: panel.type,
      title: panel.title,
      gridPos: panel.gridPos,
      datasource,
      fieldConfig: { defaults: panel.unit ? { unit: panel.unit } : {}, overrides: [] },
      targets: [
        { refId: "A", datasource, editorMode: "code", format: panel.format, rawQuery: true, rawSql: panel.rawSql },
      ],
    })),
  };
}
