import {
  ControlListQuerySchema,
  IdSchema,
  IsoDateTimeSchema,
  MAX_PAGE_SIZE,
  RegistryComplianceQuerySchema,
} from "@status/shared";
import { z } from "zod";
import { getCatalog } from "../../catalogs/index.ts";
import { listControlsOfCatalog } from "../../controls/index.ts";
import { getRegistryCompliance } from "../../registry/index.ts";
import { defaultPeriod, type AssistantTool } from "./tool-types.ts";

const ParametersSchema = z.strictObject({
  catalogId: IdSchema.describe("The catalog's id"),
  from: IsoDateTimeSchema.optional().describe("Start of the period (ISO 8601); default 30 days before `to`"),
  to: IsoDateTimeSchema.optional().describe("End of the period (ISO 8601, exclusive); default now"),
});

/**
 * The same aggregate as GET /registry/compliance (counted in SQL, one point per window), with each control's
 * threshold added for the model.
 */
export const getCatalogComplianceTool: AssistantTool<typeof ParametersSchema> = {
  name: "get_catalog_compliance",
  access: "USER",
  description: "A catalog's compliance over a period: the share of passing guarantee points overall and per control.",
  parameters: ParametersSchema,
  async run(context, args) {
    const catalog = await getCatalog(context.deps, args.catalogId);
    const period = defaultPeriod(context.deps.now(), args.from, args.to);
    const [compliance, controls] = await Promise.all([
      getRegistryCompliance(
        context.deps,
        RegistryComplianceQuerySchema.parse({
          catalog_id: catalog.id,
          from: period.from,
          to: period.to,
          pageSize: MAX_PAGE_SIZE,
        }),
      ),
      listControlsOfCatalog(context.deps, catalog.id, ControlListQuerySchema.parse({ pageSize: MAX_PAGE_SIZE })),
    ]);
    const thresholds = new Map(controls.items.map((control) => [control.id, control.threshold]));
    const perControl = compliance.items.map((item) => ({ ...item, threshold: thresholds.get(item.controlId) ?? null }));
    const overall = compliance.summary;
    return {
      content: {
        catalog: { id: catalog.id, name: catalog.name, status: catalog.status },
        period,
        overall,
        controls: perControl,
        isTruncated: compliance.total > compliance.items.length,
      },
      summary: `${catalog.name}: ${overall.compliance ?? "–"} % compliant over ${overall.pointCount} points`,
      citations: {
        controls: compliance.items.map((item) => ({
          id: item.controlId,
          catalogId: catalog.id,
          name: item.controlName,
        })),
        computations: [],
        documents: [],
      },
    };
  },
};
