import { z } from "zod";

/** ADMIN manages users and settings; DEVELOPER manages catalogs, controls, scopes and mashups; USER reads and runs. */
export const RoleSchema = z.enum(["ADMIN", "DEVELOPER", "USER"]);
export type Role = z.infer<typeof RoleSchema>;

const RANK: Record<Role, number> = { USER: 1, DEVELOPER: 2, ADMIN: 3 };

/** True when `role` is `minimum` or a role above it (ADMIN ⊃ DEVELOPER ⊃ USER). */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
