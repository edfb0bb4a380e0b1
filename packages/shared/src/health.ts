import { z } from "zod";

export const LivenessSchema = z.object({ status: z.literal("ok"), version: z.string(), uptimeSeconds: z.number() });
export type Liveness = z.infer<typeof LivenessSchema>;

export const DependencyCheckSchema = z.object({
  name: z.string(),
  status: z.enum(["up", "down"]),
  latencyMs: z.number(),
  detail: z.string().optional(),
});
export type DependencyCheck = z.infer<typeof DependencyCheckSchema>;

export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.array(DependencyCheckSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
