import { IdSchema, IsoDateTimeSchema, type Point } from "@status/shared";
import { z } from "zod";
import { getComputationDetail } from "../../evaluation/index.ts";
import { getControlsWithCatalogs } from "../../controls/index.ts";
import { listAllPoints } from "../../points/index.ts";
import { defaultPeriod, type AssistantTool, type ToolContext } from "./tool-types.ts";

const MAX_POINTS = 1_000;
const MAX_CONTROLS = 25;
const MAX_FAILED_EVIDENCES = 5;

const ParametersSchema = z.strictObject({
  from: IsoDateTimeSchema.optional().describe("Start of the period (ISO 8601); default 30 days before `to`"),
  to: IsoDateTimeSchema.optional().describe("End of the period (ISO 8601, exclusive); default now"),
  catalogId: IdSchema.optional().describe("Only controls of this catalog"),
});

/** Failing points of the period, newest first, read page by page through the points service (as GET /points). */
async function failingPoints(
  context: ToolContext,
  period: { from: string; to: string },
  catalogId: string | undefined,
): Promise<{ points: Point[]; isTruncated: boolean }> {
  const points: Point[] = [];
  for (let page = 1; points.length < MAX_POINTS; page += 1) {
    const result = await listAllPoints(context.deps, {
      page,
      pageSize: 200,
      sort: "-windowStart",
      result: "fail",
      from: period.from,
      to: period.to,
      catalogId,
    });
    points.push(...result.items);
    if (page * 200 >= result.total) return { points, isTruncated: false };
  }
  return { points, isTruncated: true };
}

/** The evidences that failed (or errored) in a computation: the "why" of a failing window. */
async function failedEvidences(context: ToolContext, computationId: string | null) {
  if (!computationId) return [];
  const detail = await getComputationDetail(context.deps, computationId);
  if ("pending" in detail) return [];
  return detail.evidences
    .filter((evidence) => evidence.result === "fail" || evidence.result === "error")
    .slice(0, MAX_FAILED_EVIDENCES)
    .map((evidence) => ({ key: evidence.key, value: evidence.value, result: evidence.result }));
}

export const listFailingControlsTool: AssistantTool<typeof ParametersSchema> = {
  name: "list_failing_controls",
  access: "USER",
  description:
    "Controls that had failing guarantee points in a period, with how many windows failed, the latest failing window and the evidences that failed in it.",
  parameters: ParametersSchema,
  async run(context, args) {
    const period = defaultPeriod(context.deps.now(), args.from, args.to);
    const { points, isTruncated } = await failingPoints(context, period, args.catalogId);
    const byControl = new Map<string, Point[]>();
    for (const point of points) byControl.set(point.controlId, [...(byControl.get(point.controlId) ?? []), point]);
    const controlIds = [...byControl.keys()].slice(0, MAX_CONTROLS);
    const named = await getControlsWithCatalogs(context.deps.db, controlIds);
    const failing = await Promise.all(
      controlIds.map(async (controlId) => {
        const latest = byControl.get(controlId)![0]!;
        const entry = named.get(controlId);
        return {
          controlId,
          controlName: entry?.control.name ?? null,
          catalogId: latest.catalogId,
          catalogName: entry?.catalog.name ?? null,
          threshold: latest.threshold,
          failedWindows: byControl.get(controlId)!.length,
          latestFailure: {
            windowStart: latest.windowStart,
            windowEnd: latest.windowEnd,
            value: latest.value,
            scope: latest.scope,
            computationId: latest.computationId,
          },
          failedEvidences: await failedEvidences(context, latest.computationId),
        };
      }),
    );
    return {
      content: {
        period,
        failingControlCount: byControl.size,
        failingControls: failing,
        isTruncated: isTruncated || byControl.size > MAX_CONTROLS,
      },
      summary: `${byControl.size} failing control${byControl.size === 1 ? "" : "s"} between ${period.from.slice(0, 10)} and ${period.to.slice(0, 10)}`,
      citations: {
        controls: failing.map((item) => ({
          id: item.controlId,
          catalogId: item.catalogId,
          name: item.controlName ?? item.controlId,
        })),
        computations: failing.flatMap((item) =>
          item.latestFailure.computationId
            ? [
                {
                  id: item.latestFailure.computationId,
                  controlId: item.controlId,
                  windowStart: item.latestFailure.windowStart,
                  windowEnd: item.latestFailure.windowEnd,
                },
              ]
            : [],
        ),
        documents: [],
      },
    };
  },
};
