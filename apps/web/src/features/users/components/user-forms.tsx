import { CreateUserBodySchema, RoleSchema, UpdateUserBodySchema, type User } from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateUser } from "../api/create-user.ts";
import { useUpdateUser } from "../api/update-user.ts";

const CreateUserInputsSchema = z.object({
  username: z.string(),
  password: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
});

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
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: CreateUserFormSchema,
    defaultValues: { username: "", password: "", email: "", displayName: "", role: "USER" },
    mutation: useCreateUser({ onSuccess: onCreated }),
    fields: CREATE_FIELDS,
  });
  const { errors } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
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
      <FormActions submitLabel="Create user" isPending={isPending} onCancel={onCancel} />
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
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: EditUserFormSchema,
    defaultValues: {
      email: user.email ?? "",
      displayName: user.displayName ?? "",
      role: user.role,
      isDisabled: user.isDisabled,
      password: "",
    },
    mutation: useUpdateUser({ onSuccess: onSaved }),
    toVariables: (body) => ({ userId: user.id, body }),
    fields: EDIT_FIELDS,
  });
  const { errors } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
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
      <FormActions submitLabel="Save changes" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}
