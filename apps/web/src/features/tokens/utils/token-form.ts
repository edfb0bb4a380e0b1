import { CreateApiTokenBodySchema, type ApiTokenScope } from "@status/shared";
import { z } from "zod";

const TokenInputsSchema = z.object({
  name: z.string(),
  expiresInDays: z.string(),
  scopes: z.array(z.string()),
  catalogIds: z.array(z.string()),
  controlIds: z.array(z.string()),
});
export type TokenInputs = z.infer<typeof TokenInputsSchema>;

/** No scope ticked is a token with the user's full access; limits go only with scopes and only when some are picked. */
export const TokenFormSchema = TokenInputsSchema.transform((values): z.input<typeof CreateApiTokenBodySchema> => {
  const isScoped = values.scopes.length > 0;
  const isLimited = isScoped && values.catalogIds.length + values.controlIds.length > 0;
  return {
    name: values.name,
    expiresInDays: values.expiresInDays === "" ? null : Number(values.expiresInDays),
    ...(isScoped ? { scopes: values.scopes as ApiTokenScope[] } : {}),
    ...(isLimited
      ? {
          limits: {
            ...(values.catalogIds.length ? { catalogIds: values.catalogIds } : {}),
            ...(values.controlIds.length ? { controlIds: values.controlIds } : {}),
          },
        }
      : {}),
  };
}).pipe(CreateApiTokenBodySchema);
