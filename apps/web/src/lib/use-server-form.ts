import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { applyProblemToForm, formErrorMap } from "./form-errors.ts";

/** What the form needs of a TanStack mutation; `useMutation`'s result is one. */
export interface SubmitMutation<TVariables, TData> {
  mutateAsync: (variables: TVariables) => Promise<TData>;
  isPending: boolean;
}

/** Puts a failed submit's problem on the form and returns the message for the top of the form (null: none). */
export type PlaceProblem<TValues extends FieldValues, TBody> = (
  error: unknown,
  form: UseFormReturn<TValues, unknown, TBody>,
) => string | null;

interface BaseOptions<TValues extends FieldValues, TBody, TVariables, TData> {
  /** Checks the inputs and turns them into the body: the schema the API parses, or an inputs schema piped into it. */
  schema: z.ZodType<TBody, TValues>;
  /** The inputs' starting values; their type is the schema's input, not inferred from them. */
  defaultValues: NoInfer<DefaultValues<TValues>>;
  /** Sends the checked body; while it is pending, the form is too. */
  mutation: SubmitMutation<TVariables, TData>;
  /**
   * Where a problem's `errors[]` go: the fields they may name (`body.name` → `name`, the rest joins the message at the
   * top), or a function that places them itself, for paths that need translating.
   */
  fields: NoInfer<readonly Path<TValues>[] | PlaceProblem<TValues, TBody>>;
  /** After the mutation (and its own `onSuccess`) succeeded, e.g. to clear a secret input. */
  onSubmitted?: (data: TData, form: UseFormReturn<TValues, unknown, TBody>) => void;
}

/** The mutation's variables for a body, e.g. `(body) => ({ catalogId, body })`; optional when they are the body. */
type VariablesOption<TBody, TVariables> = [TBody] extends [TVariables]
  ? { toVariables?: (body: TBody) => TVariables }
  : { toVariables: (body: TBody) => TVariables };

export type ServerFormOptions<TValues extends FieldValues, TBody, TVariables, TData> = BaseOptions<
  TValues,
  TBody,
  TVariables,
  TData
> &
  VariablesOption<TBody, TVariables>;

/**
 * A form that the API checks too: react-hook-form with the shared schema (`zodResolver`, same wording as the API), a
 * submit through a mutation, and the API's problem+json mapped back: each `errors[]` entry onto its field with
 * `setError`, whatever is left as `formError` for the top of the form.
 */
export function useServerForm<TValues extends FieldValues, TBody, TVariables, TData>(
  options: ServerFormOptions<TValues, TBody, TVariables, TData>,
) {
  const { schema, defaultValues, mutation, fields, onSubmitted } = options;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<TValues, unknown, TBody>({
    resolver: zodResolver(schema, { error: formErrorMap }),
    defaultValues,
  });

  const onSubmit = form.handleSubmit(async (body) => {
    setFormError(null);
    const variables = options.toVariables ? options.toVariables(body) : (body as unknown as TVariables);
    let data: TData;
    try {
      data = await mutation.mutateAsync(variables);
    } catch (error) {
      setFormError(
        typeof fields === "function" ? fields(error, form) : applyProblemToForm(error, form.setError, fields),
      );
      return;
    }
    onSubmitted?.(data, form);
  });

  return { form, onSubmit, formError, isPending: mutation.isPending };
}
