import { IdSchema } from "@status/shared";
import { z } from "zod";
import { getComputationDetail, listControlComputations } from "../../evaluation/index.ts";
import { getControl } from "../../controls/index.ts";
import type { AssistantTool } from "./tool-types.ts";

const MAX_EVIDENCES = 50;

const ParametersSchema = z.strictObject({ controlId: IdSchema.describe("The control's id") });

export const getControlEvidenceTool: AssistantTool<typeof ParametersSchema> = {
  name: "get_control_evidence",
  access: "USER",
  description:
    "A control's definition and its latest completed computation: result, compliance, and the evidences (facts checked) with their results.",
  parameters: ParametersSchema,
  async run(context, args) {
    const control = await getControl(context.deps, args.controlId);
    const controlCitation = { id: control.id, catalogId: control.catalogId, name: control.name };
    const latest = await listControlComputations(context.deps, control.id, {
      page: 1,
      pageSize: 1,
      sort: "-windowStart",
      status: "ready",
    });
    const computation = latest.items[0];
    const definition = {
      id: control.id,
      name: control.name,
      description: control.description,
      period: control.period,
      threshold: control.threshold,
      mashupId: control.mashupId,
      catalogId: control.catalogId,
    };
    if (!computation) {
      return {
        content: { control: definition, latestComputation: null },
        summary: `${control.name}: no completed computation yet`,
        citations: { controls: [controlCitation], computations: [], documents: [] },
      };
    }
    const detail = await getComputationDetail(context.deps, computation.id);
    const evidences = "pending" in detail ? [] : detail.evidences;
    return {
      content: {
        control: definition,
        latestComputation: {
          id: computation.id,
          windowStart: computation.windowStart,
          windowEnd: computation.windowEnd,
          scope: computation.scope,
          result: computation.result,
          compliance: computation.compliance,
          evidenceCount: computation.evidenceCount,
          passCount: computation.passCount,
          failCount: computation.failCount,
          errorCount: computation.errorCount,
          evidences: evidences.slice(0, MAX_EVIDENCES).map((evidence) => ({
            key: evidence.key,
            value: evidence.value,
            result: evidence.result,
            from: evidence.from,
            to: evidence.to,
          })),
          isEvidenceTruncated: evidences.length > MAX_EVIDENCES,
        },
      },
      summary: `${control.name}: ${computation.result ?? "no result"} (${computation.compliance ?? "–"} %) for ${computation.windowStart.slice(0, 10)}, ${computation.evidenceCount} evidences`,
      citations: {
        controls: [controlCitation],
        computations: [
          {
            id: computation.id,
            controlId: control.id,
            windowStart: computation.windowStart,
            windowEnd: computation.windowEnd,
          },
        ],
        documents: [],
      },
    };
  },
};
