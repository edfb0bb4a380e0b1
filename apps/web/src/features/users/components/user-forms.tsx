import { zodResolver } from "@hookform/resolvers/zod";
import {
  CreateUserBodySchema,
  RoleSchema,
  UpdateUserBodySchema,
  type CreateUserBody,
  type UpdateUserBody,
  type User,
} from "@status/shared";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { applyProblemToForm, formErrorMap } from "@/lib/form-errors.ts";
import { useCreateUser } from "../api/create-user.ts";
import { useUpdateUser } from "../api/update-user.ts";

const CreateUserInputsSchema = z.object({
  username: z.string(),
  password: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
});
type CreateUserFormValues = z.infer<typeof CreateUserInputsSchema>;

/** Blank optional inputs are left out of the body rather than sent empty. */
const CreateUserFormSchema = CreateUserInputsSchema.transform((values): z.input<typeof CreateUserBodySchema> => ({
  username: values.username,
  password: values.password,
  role: values.role,
  ...(values.email.trim() ? { email: values.email.trim() } : {}),
  ...(values.displayName.trim() ? { displayName: values.displayName } : {}),
})).pipe(CreateUserBodySchema);
const CREATE_FIELDS = ["username", "password", "email", "displayName", "role"] as const;

const EditUserInputsSchema = z.object({
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  isDisabled: z.boolean(),
  password: z.string(),
});
type EditUserFormValues = z.infer<typeof EditUserInputsSchema>;

/** Blank e-mail and name clear them (null); a blank password leaves it unchanged. */
const EditUserFormSchema = EditUserInputsSchema.transform((values): z.input<typeof UpdateUserBodySchema> => ({
  email: values.email.trim() || null,
  displayName: values.displayName.trim() || null,
  role: values.role,
  isDisabled: values.isDisabled,
  ...(values.password ? { password: values.password } : {}),
})).pipe(UpdateUserBodySchema);
const EDIT_FIELDS = ["email", "displayName", "role", "isDisabled", "password"] as const;

function RoleSelect(props: React.ComponentProps<typeof Select>) {
  return (
    <Select {...props}>
      {RoleSchema.options.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </Select>
  );
}

export function CreateUserForm({ onCreated, onCancel }: { onCreated: (user: User) => void; onCancel: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateUserFormValues, unknown, CreateUserBody>({
    resolver: zodResolver(CreateUserFormSchema, { error: formErrorMap }),
    defaultValues: { username: "", password: "", email: "", displayName: "", role: "USER" },
  });
  const createMutation = useCreateUser({ onSuccess: onCreated });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (body) => {
    setFormError(null);
    try {
      await createMutation.mutateAsync(body);
    } catch (error) {
      setFormError(applyProblemToForm(error, form.setError, CREATE_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Username" error={errors.username?.message}>
        {(control) => <Input {...control} autoFocus autoComplete="off" {...form.register("username")} />}
      </FormField>
      <FormField label="Password" hint="At least 10 characters." error={errors.password?.message}>
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </FormField>
      <FormField label="E-mail" error={errors.email?.message}>
        {(control) => <Input {...control} type="email" {...form.register("email")} />}
      </FormField>
      <FormField label="Display name" error={errors.displayName?.message}>
        {(control) => <Input {...control} {...form.register("displayName")} />}
      </FormField>
      <FormField label="Role" error={errors.role?.message}>
        {(control) => <RoleSelect {...control} {...form.register("role")} />}
      </FormField>
      <FormActions submitLabel="Create user" isPending={createMutation.isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditUserForm({
  user,
  onSaved,
  onCancel,
}: {
  user: User;
  onSaved: (user: User) => void;
  onCancel: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<EditUserFormValues, unknown, UpdateUserBody>({
    resolver: zodResolver(EditUserFormSchema, { error: formErrorMap }),
    defaultValues: {
      email: user.email ?? "",
      displayName: user.displayName ?? "",
      role: user.role,
      isDisabled: user.isDisabled,
      password: "",
    },
  });
  const updateMutation = useUpdateUser({ onSuccess: onSaved });
  const { errors } = form.formState;

  const submit = form.handleSubmit(async (body) => {
    setFormError(null);
    try {
      await updateMutation.mutateAsync({ userId: user.id, body });
    } catch (error) {
      setFormError(applyProblemToForm(error, form.setError, EDIT_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Display name" error={errors.displayName?.message}>
        {(control) => <Input {...control} {...form.register("displayName")} />}
      </FormField>
      <FormField label="E-mail" error={errors.email?.message}>
        {(control) => <Input {...control} type="email" {...form.register("email")} />}
      </FormField>
      <FormField label="Role" error={errors.role?.message}>
        {(control) => <RoleSelect {...control} {...form.register("role")} />}
      </FormField>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4" {...form.register("isDisabled")} />
        Disabled (cannot sign in)
      </label>
      <FormField label="New password" hint="Leave blank to keep the current password." error={errors.password?.message}>
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </FormField>
      <FormActions submitLabel="Save changes" isPending={updateMutation.isPending} onCancel={onCancel} />
    </form>
  );
}
