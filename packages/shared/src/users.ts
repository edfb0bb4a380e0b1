import { z } from "zod";
import { RoleSchema } from "./roles.ts";
import { IdSchema, IsoDateTimeSchema, PageQueryShape, SearchTermSchema, pageSchema, sortSchema } from "./common.ts";

const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, "Letters, digits, '.', '_' and '-' only, starting with a letter or digit");
const PasswordSchema = z.string().min(10, "Use at least 10 characters").max(1024);

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: RoleSchema,
  isDisabled: z.boolean(),
  githubLogin: z.string().nullable(),
  lastLoginAt: IsoDateTimeSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type User = z.infer<typeof UserSchema>;

export const CreateUserBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  email: z.email().max(254).optional(),
  displayName: z.string().trim().min(1).max(120).optional(),
  role: RoleSchema.default("USER"),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z.strictObject({
  email: z.email().max(254).nullable().optional(),
  displayName: z.string().trim().min(1).max(120).nullable().optional(),
  role: RoleSchema.optional(),
  isDisabled: z.boolean().optional(),
  password: PasswordSchema.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const UserListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["username", "createdAt", "role", "lastLoginAt"], "username"),
  q: SearchTermSchema,
  role: RoleSchema.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserPageSchema = pageSchema(UserSchema);
