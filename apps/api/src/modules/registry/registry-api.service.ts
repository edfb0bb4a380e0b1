import type {
  RegistryCompliance,
  RegistryComplianceQuery,
  RegistryGuaranteePage,
  RegistryGuaranteesQuery,
  RegistryTrends,
  RegistryTrendsQuery,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { requireControl } from "../controls/index.ts";
import {
  aggregatePoints,
  aggregatePointsByControl,
  listGuaranteePoints,
  trendBuckets,
} from "./registry-api.repository.ts";

/** Guarantee points for integrators (seed 002's `GET /api/registry/guarantees`), newest window first. */
export async function listRegistryGuarantees(
  deps: AppDeps,
  query: RegistryGuaranteesQuery,
): Promise<RegistryGuaranteePage> {
  if (query.control_id) await requireControl(deps.db, query.control_id);
  if (query.catalog_id) await requireCatalog(deps.db, query.catalog_id);
  const filters = {
    controlId: query.control_id,
    catalogId: query.catalog_id,
    from: query.from,
    to: query.to,
    scope: query.scope,
    source: query.source,
  };
  return listGuaranteePoints(deps.db, filters, query.page, query.pageSize, query.cursor);
}

/** A catalog's compliance: the share of passing points in total and per control, over the filters. */
export async function getRegistryCompliance(
  deps: AppDeps,
  query: RegistryComplianceQuery,
): Promise<RegistryCompliance> {
  await requireCatalog(deps.db, query.catalog_id);
  const filters = {
    catalogId: query.catalog_id,
    from: query.from,
    to: query.to,
    scope: query.scope,
    source: query.source,
  };
  const [summary, perControl] = await Promise.all([
    aggregatePoints(deps.db, filters),
    aggregatePointsByControl(deps.db, query.catalog_id, filters, query.page, query.pageSize),
  ]);
  return { ...perControl, catalogId: query.catalog_id, scope: query.scope ?? null, summary };
}

/** A control's compliance over time, bucketed by day, ISO week or month in its catalog's time zone. */
export async function getRegistryTrends(deps: AppDeps, query: RegistryTrendsQuery): Promise<RegistryTrends> {
  const control = await requireControl(deps.db, query.control_id);
  const catalog = await requireCatalog(deps.db, control.catalogId);
  const filters = {
    controlId: control.id,
    catalogId: control.catalogId,
    from: query.from,
    to: query.to,
    scope: query.scope,
    source: query.source,
  };
  const page = await trendBuckets(deps.db, filters, query.period, catalog.timeZone, query.page, query.pageSize);
  return { ...page, controlId: control.id, period: query.period };
}
