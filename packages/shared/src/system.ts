import { z } from "zod";
import { IsoDateTimeSchema } from "./common.ts";

/** `pending`: configured, and STATUS is still setting it up (Grafana until it answers and has STATUS's token). */
export const DependencyStatusSchema = z.enum(["up", "down", "pending", "not_configured"]);
export type DependencyStatus = z.infer<typeof DependencyStatusSchema>;

/** One dependency as the System status page shows it. */
export const DependencyHealthSchema = z.object({
  name: z.enum(["database", "cache", "queue", "node-red", "grafana", "registry", "director"]),
  status: DependencyStatusSchema,
  latencyMs: z.number().nullable(),
  version: z.string().nullable(),
  /** Where it is configured; only ADMIN callers see it (null for others). */
  url: z.string().nullable(),
  detail: z.string().nullable(),
});
export type DependencyHealth = z.infer<typeof DependencyHealthSchema>;

/** `ok` when every configured dependency is up; `degraded` otherwise. */
export const SystemHealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  checkedAt: IsoDateTimeSchema,
  dependencies: z.array(DependencyHealthSchema),
});
export type SystemHealth = z.infer<typeof SystemHealthSchema>;
