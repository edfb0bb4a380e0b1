import type { Request, Response } from "express";
import {
  RegistryComplianceQuerySchema,
  RegistryComplianceSchema,
  RegistryGuaranteePageSchema,
  RegistryGuaranteesQuerySchema,
  RegistryTrendsQuerySchema,
  RegistryTrendsSchema,
  type ControlCompliance,
  type RegistryGuarantee,
  type TrendBucket,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { toCsv, type CsvColumn } from "../../lib/csv.ts";
import { getRegistryCompliance, getRegistryTrends, listRegistryGuarantees } from "./registry-api.service.ts";

const CSV = "text/csv; charset=utf-8";
const AGGREGATE_HEADERS = [
  "pointCount",
  "passCount",
  "failCount",
  "notApplicableCount",
  "compliance",
  "averageValue",
] as const;

/** One column per field, headed by the field's name. */
function columnsOf<Row>(keys: readonly (keyof Row & string)[]): CsvColumn<Row>[] {
  return keys.map((key) => ({ header: key, value: (row) => row[key] }));
}

const GUARANTEE_COLUMNS = columnsOf<RegistryGuarantee>([
  "id",
  "agreementId",
  "guaranteeId",
  "controlId",
  "controlName",
  "catalogId",
  "catalogName",
  "source",
  "scope",
  "windowStart",
  "windowEnd",
  "value",
  "threshold",
  "result",
]);
const CONTROL_COLUMNS = columnsOf<ControlCompliance>([
  "controlId",
  "controlName",
  ...AGGREGATE_HEADERS,
  "latestWindowStart",
  "latestResult",
]);
const TREND_COLUMNS = columnsOf<TrendBucket>(["bucketStart", ...AGGREGATE_HEADERS]);

/** JSON unless the caller prefers CSV (`Accept: text/csv`); a CSV page carries its paging in headers. */
function sendPage<Row>(
  req: Request,
  res: Response,
  page: { items: Row[]; total: number; page: number; pageSize: number; nextCursor?: string | null },
  columns: CsvColumn<Row>[],
): void {
  if (req.accepts(["application/json", "text/csv"]) !== "text/csv") {
    res.json(page);
    return;
  }
  res.set({
    "Content-Type": CSV,
    "X-Total-Count": String(page.total),
    "X-Page": String(page.page),
    "X-Page-Size": String(page.pageSize),
  });
  if (page.nextCursor) res.set("X-Next-Cursor", page.nextCursor);
  res.send(toCsv(columns, page.items));
}

/**
 * The registry API for integrators (seed 002), answered from our points with STATUS tokens. With `Accept: text/csv`
 * each answers the same rows as CSV (RFC 4180), with the paging in X-Total-Count, X-Page, X-Page-Size and (guarantees)
 * X-Next-Cursor.
 */
export function registryApiRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/registry/guarantees",
      summary: "Guarantee points by control or catalog, scope and time; JSON or CSV (also at /api/registry/guarantees)",
      tag: "Registry",
      access: "USER",
      query: RegistryGuaranteesQuerySchema,
      responses: { 200: { description: "A page of guarantee points", schema: RegistryGuaranteePageSchema } },
      async handler({ req, res, query }) {
        sendPage(req, res, await listRegistryGuarantees(deps, query), GUARANTEE_COLUMNS);
      },
    }),
    defineRoute({
      method: "get",
      path: "/registry/compliance",
      summary:
        "A catalog's aggregated compliance, in total and per control; JSON or CSV (also at /api/registry/compliance)",
      tag: "Registry",
      access: "USER",
      query: RegistryComplianceQuerySchema,
      responses: { 200: { description: "The summary and a page of controls", schema: RegistryComplianceSchema } },
      async handler({ req, res, query }) {
        sendPage(req, res, await getRegistryCompliance(deps, query), CONTROL_COLUMNS);
      },
    }),
    defineRoute({
      method: "get",
      path: "/registry/trends",
      summary: "A control's compliance per day, week or month; JSON or CSV (also at /api/registry/trends)",
      tag: "Registry",
      access: "USER",
      query: RegistryTrendsQuerySchema,
      responses: { 200: { description: "A page of buckets, oldest first", schema: RegistryTrendsSchema } },
      async handler({ req, res, query }) {
        sendPage(req, res, await getRegistryTrends(deps, query), TREND_COLUMNS);
      },
    }),
  ];
}
