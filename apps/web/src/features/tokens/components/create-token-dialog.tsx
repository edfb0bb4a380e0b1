import { CreateApiTokenBodySchema, type CreatedApiToken } from "@status/shared";
import { useState } from "react";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { CopyableSecret } from "@/components/ui/copyable-secret.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateToken } from "../api/create-token.ts";

const TokenInputsSchema = z.object({ name: z.string(), expiresInDays: z.string() });

const TokenFormSchema = TokenInputsSchema.transform((values): z.input<typeof CreateApiTokenBodySchema> => ({
  name: values.name,
  expiresInDays: values.expiresInDays === "" ? null : Number(values.expiresInDays),
})).pipe(CreateApiTokenBodySchema);

const FIELDS = ["name", "expiresInDays"] as const;
const LIFETIMES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "366", label: "1 year" },
  { value: "", label: "Never" },
] as const;

/** Creating a token, then showing its secret once; closing the dialog forgets the secret. */
export function CreateTokenDialog() {
  const [isOpen, setIsOpen] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) setCreated(null);
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button>New token</Button>
      </DialogTrigger>
      {created ? (
        <DialogContent
          title="Copy your new token"
          description="You will not see it again. Store it somewhere safe now."
        >
          <CreatedTokenSecret token={created} />
        </DialogContent>
      ) : (
        <DialogContent title="New API token" description="Integrations send it as a bearer token and act as you.">
          <CreateTokenForm onCancel={() => changeOpen(false)} onCreated={setCreated} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function CreateTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (token: CreatedApiToken) => void;
  onCancel: () => void;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: TokenFormSchema,
    defaultValues: { name: "", expiresInDays: "90" },
    mutation: useCreateToken({ onSuccess: onCreated }),
    fields: FIELDS,
  });
  const { errors } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="Name" hint="What the token is for, e.g. CI pipeline." error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus {...form.register("name")} />}
      </FormField>
      <FormField label="Expires after" error={errors.expiresInDays?.message}>
        {(control) => (
          <Select {...control} {...form.register("expiresInDays")}>
            {LIFETIMES.map((lifetime) => (
              <option key={lifetime.label} value={lifetime.value}>
                {lifetime.label}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormActions submitLabel="Create token" isPending={isPending} onCancel={onCancel} />
    </form>
  );
}

function CreatedTokenSecret({ token }: { token: CreatedApiToken }) {
  return (
    <div className="space-y-4">
      <Alert variant="info" title="This is the only time the token is shown">
        You will not see it again. If you lose it, revoke it and create a new one.
      </Alert>
      <div>
        <p className="mb-1 text-sm font-medium">{token.name}</p>
        <CopyableSecret value={token.token} label="Token" what="token" />
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
          {token.expiresAt ? `Expires ${formatDateTime(token.expiresAt)}.` : "Does not expire."}
        </p>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button>I have copied it</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
