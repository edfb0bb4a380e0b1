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

/** The integrations an installation may or may not have configured; each gates part of the SPA. */
export const IntegrationNameSchema = z.enum(["grafana", "ai", "registry", "director", "github", "oidc", "smtp"]);
export type IntegrationName = z.infer<typeof IntegrationNameSchema>;

/**
 * Whether an integration is configured, and if not what turns it on: the environment variables to set and the README
 * section that explains them. Configuration, not reachability (that is `GET /system/health`): the answer changes only
 * when the server restarts or an administrator changes the AI settings.
 */
export const IntegrationCapabilitySchema = z.object({
  name: IntegrationNameSchema,
  label: z.string(),
  isConfigured: z.boolean(),
  /** What it enables, e.g. "Dashboards". */
  enables: z.string(),
  variables: z.array(z.string()).describe("The environment variables that configure it"),
  /** Another way to configure it, e.g. the AI settings; null when the variables are the only one. */
  alternative: z.string().nullable(),
  readmeSection: z.string().describe("The README section that documents it"),
  readmeAnchor: z.string().describe("The section's anchor, e.g. dashboards-and-grafana"),
});
export type IntegrationCapability = z.infer<typeof IntegrationCapabilitySchema>;

/** A feature built into STATUS (no integration to configure): whether it is on, and where it answers. */
export const FeatureCapabilitySchema = z.object({
  isEnabled: z.boolean(),
  endpoint: z.string().describe("The path it answers on, e.g. /api/v1/mcp"),
});
export type FeatureCapability = z.infer<typeof FeatureCapabilitySchema>;

export const SystemCapabilitiesSchema = z.object({
  integrations: z.array(IntegrationCapabilitySchema),
  /** `mcp`: the MCP server AI clients reach with a personal API token. */
  features: z.object({ mcp: FeatureCapabilitySchema }),
});
export type SystemCapabilities = z.infer<typeof SystemCapabilitiesSchema>;
