import { ControlListQuerySchema, IdSchema, IsoDateTimeSchema, type Point } from "@status/shared";
import { z } from "zod";
import { getCatalog } from "../../catalogs/catalogs.service.ts";
import { listControlsOfCatalog } from "../../controls/controls.service.ts";
import { listAllPoints } from "../../points/points.service.ts";
import { defaultPeriod, type AssistantTool } from "./tool-types.ts";

const MAX_PAGES = 10;

const ParametersSchema = z.strictObject({
  catalogId: IdSchema.describe("The catalog's id"),
  from: IsoDateTimeSchema.optional().describe("Start of the period (ISO 8601); default 30 days before `to`"),
  to: IsoDateTimeSchema.optional().describe("End of the period (ISO 8601, exclusive); default now"),
});

function tally(points: Point[]) {
  const passed = points.filter((point) => point.result === "pass").length;
  const failed = points.filter((point) => point.result === "fail").length;
  const evaluated = passed + failed;
  return { points: points.length, passed, failed, notApplicable: points.length - evaluated, compliance: evaluated === 0 ? null : Math.round((10_000 * passed) / evaluated) / 100 };
}

export const getCatalogComplianceTool: AssistantTool<typeof ParametersSchema> = {
  name: "get_catalog_compliance",
  access: "USER",
  description: "A catalog's compliance over a period: the share of passing guarantee points overall and per control.",
  parameters: ParametersSchema,
  async run(context, args) {
    const catalog = await getCatalog(context.deps, args.catalogId);
    const period = defaultPeriod(context.deps.now(), args.from, args.to);
    const controls = await listControlsOfCatalog(context.deps, catalog.id, ControlListQuerySchema.parse({ pageSize: 200 }));
    const points: Point[] = [];
    let isTruncated = true;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const result = await listAllPoints(context.deps, { page, pageSize: 200, sort: "-windowStart", catalogId: catalog.id, from: period.from, to: period.to });
      points.push(...result.items);
      if (page * 200 >= result.total) {
        isTruncated = false;
        break;
      }
    }
    const perControl = controls.items.map((control) => ({ controlId: control.id, controlName: control.name, threshold: control.threshold, ...tally(points.filter((point) => point.controlId === control.id)) }));
    const overall = tally(points);
    return {
      content: { catalog: { id: catalog.id, name: catalog.name, status: catalog.status }, period, overall, controls: perControl, isTruncated },
      summary: `${catalog.name}: ${overall.compliance ?? "–"} % compliant over ${overall.points} points`,
      citations: { controls: controls.items.map((control) => ({ id: control.id, catalogId: catalog.id, name: control.name })), computations: [], documents: [] },
    };
  },
};
