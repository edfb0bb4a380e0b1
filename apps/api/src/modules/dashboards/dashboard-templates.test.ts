import { DashboardTemplateSchema } from "@status/shared";
import { describe, expect, it } from "vitest";
import { buildTemplateDashboard, TEMPLATE_PANELS } from "./dashboard-templates.ts";

const HOSTILE = "x'); drop table users; --";
const subject = {
  catalog: { id: "11111111-1111-4111-8111-111111111111", name: HOSTILE },
  control: { id: "22222222-2222-4222-8222-222222222222", name: HOSTILE },
};

describe("dashboard templates", () => {
  it("read only the reporting views, and take the catalog or control only as a quoted Grafana variable", () => {
    for (const panels of Object.values(TEMPLATE_PANELS)) {
      for (const panel of panels) {
        const relations = [...panel.rawSql.matchAll(/\b(?:from|join)\s+([\w."]+)/gi)].map((match) => match[1]);
        expect(relations.length, panel.title).toBeGreaterThan(0);
        for (const relation of relations) expect(relation, panel.title).toMatch(/^reporting\.\w+$/);
        for (const variable of panel.rawSql.matchAll(/\$\{?(\w+)/g)) {
          expect(["__timeFilter", "catalog_id", "control_id"], panel.rawSql).toContain(variable[1]);
        }
        expect(panel.rawSql).not.toMatch(/\$\{?(catalog|control)_id(?!:sqlstring\})/);
      }
    }
  });

  it("puts the subject in the variable's current value, never in SQL", () => {
    for (const template of DashboardTemplateSchema.options) {
      const model = buildTemplateDashboard({ title: "T", template, subject, datasourceUid: "status-postgres" }) as {
        panels: { targets: { rawSql: string }[] }[];
        templating: { list: { query: string }[] };
      };
      const sql = [
        ...model.panels.flatMap((panel) => panel.targets.map((target) => target.rawSql)),
        ...model.templating.list.map((variable) => variable.query),
      ].join("\n");

      expect(sql, template).not.toContain(HOSTILE);
      expect(sql, template).not.toContain(subject.catalog.id);
      expect(sql, template).not.toContain(subject.control.id);
    }
  });

  it("gives every panel a unique id and the configured datasource", () => {
    const model = buildTemplateDashboard({
      title: "T",
      template: "catalog_compliance",
      subject,
      datasourceUid: "pg-reporting",
    }) as { panels: { id: number; datasource: { uid: string } }[] };

    expect(new Set(model.panels.map((panel) => panel.id)).size).toBe(model.panels.length);
    expect(model.panels.every((panel) => panel.datasource.uid === "pg-reporting")).toBe(true);
  });
});
