import { z } from "zod";

export const LivenessSchema = z.object({ status: z.literal("ok"), version: z.string(), uptimeSeconds: z.number() });
export type Liveness = z.infer<typeof LivenessSchema>;

export const DependencyCheckSchema = z.object({
  name: z.string(),
  /** `pending`: an optional integration STATUS is still setting up (Grafana before its service account exists). */
  status: z.enum(["up", "down", "pending"]),
  latencyMs: z.number(),
  detail: z.string().optional(),
});
export type DependencyCheck = z.infer<typeof DependencyCheckSchema>;

export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.array(DependencyCheckSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
