import { z } from "zod";
import {
  ChangeReasonSchema,
  IdSchema,
  IsoDateTimeSchema,
  PageQueryShape,
  SearchTermSchema,
  pageSchema,
  sortSchema,
} from "./common.ts";

/** The type of a scope dimension; scope-set values are checked against it. */
export const ScopeTypeSchema = z.enum(["string", "number", "boolean"]);
export type ScopeType = z.infer<typeof ScopeTypeSchema>;

/** A scope value: `*` is the wildcard the mashup resolves (every value of the dimension). */
export const ScopeValueSchema = z.union([z.string().max(200), z.number(), z.boolean()]);
export type ScopeValue = z.infer<typeof ScopeValueSchema>;
export const SCOPE_WILDCARD = "*";

const ScopeNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9_]*$/, "lower_snake_case, starting with a letter");

export const ScopeSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  type: ScopeTypeSchema,
  defaultValue: ScopeValueSchema.nullable(),
  allowedValues: z.array(ScopeValueSchema).nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Scope = z.infer<typeof ScopeSchema>;

export const CreateScopeBodySchema = z.strictObject({
  name: ScopeNameSchema,
  description: z.string().trim().max(500).default(""),
  type: ScopeTypeSchema.default("string"),
  defaultValue: ScopeValueSchema.nullable().default(null),
  allowedValues: z.array(ScopeValueSchema).min(1).max(500).nullable().default(null),
});
export type CreateScopeBody = z.infer<typeof CreateScopeBodySchema>;

/** The name and type are fixed once created, because scope sets refer to them. */
export const UpdateScopeBodySchema = z.strictObject({
  description: z.string().trim().max(500).optional(),
  defaultValue: ScopeValueSchema.nullable().optional(),
  allowedValues: z.array(ScopeValueSchema).min(1).max(500).nullable().optional(),
});
export type UpdateScopeBody = z.infer<typeof UpdateScopeBodySchema>;

export const ScopeListQuerySchema = z.strictObject({
  ...PageQueryShape,
  sort: sortSchema(["name", "createdAt"], "name"),
  q: SearchTermSchema,
  type: ScopeTypeSchema.optional(),
});
export type ScopeListQuery = z.infer<typeof ScopeListQuerySchema>;

export const ScopePageSchema = pageSchema(ScopeSchema);

/** The values of the scope dimensions one control is evaluated for, e.g. `{country: "ES", city: "*"}`. */
export const ScopeValuesSchema = z
  .record(ScopeNameSchema, ScopeValueSchema)
  .refine((values) => Object.keys(values).length >= 1, "Give at least one scope value")
  .refine((values) => Object.keys(values).length <= 20, "At most 20 scope values");
export type ScopeValues = z.infer<typeof ScopeValuesSchema>;

export const ScopeSetSchema = z.object({
  id: IdSchema,
  controlId: IdSchema,
  values: z.record(z.string(), ScopeValueSchema),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type ScopeSet = z.infer<typeof ScopeSetSchema>;

/** The scope sets are result-deciding: on a finalized control a change needs `reason` and creates a control version. */
const ScopeSetReasonSchema = ChangeReasonSchema.optional().describe(
  "Why: required when the control is finalized (the change creates a new control version)",
);

export const CreateScopeSetBodySchema = z.strictObject({ values: ScopeValuesSchema, reason: ScopeSetReasonSchema });
export type CreateScopeSetBody = z.infer<typeof CreateScopeSetBodySchema>;
export const UpdateScopeSetBodySchema = CreateScopeSetBodySchema;
export type UpdateScopeSetBody = CreateScopeSetBody;

/** `DELETE /controls/:id/scope-sets/:scopeSetId?reason=…`: the reason travels in the query (DELETE has no body). */
export const DeleteScopeSetQuerySchema = z.strictObject({ reason: ScopeSetReasonSchema });
export type DeleteScopeSetQuery = z.infer<typeof DeleteScopeSetQuerySchema>;

export const ScopeSetListQuerySchema = z.strictObject({ ...PageQueryShape });
export type ScopeSetListQuery = z.infer<typeof ScopeSetListQuerySchema>;

export const ScopeSetPageSchema = pageSchema(ScopeSetSchema);

export const ScopeSetParamsSchema = z.strictObject({ id: IdSchema, scopeSetId: IdSchema });
