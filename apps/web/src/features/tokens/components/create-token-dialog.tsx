import { API_TOKEN_SCOPES, type ApiTokenScope, type CreatedApiToken } from "@status/shared";
import { useState } from "react";
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
import { TokenFormSchema } from "../utils/token-form.ts";
import type { TokenPrefill } from "../utils/token-prefill.ts";
import { TokenLimitsFields } from "./token-limits-fields.tsx";

const FIELDS = ["name", "expiresInDays", "scopes"] as const;

/** What each scope allows; a token never exceeds its user's role whatever its scopes. */
export const SCOPE_LABELS: Record<ApiTokenScope, { label: string; hint: string }> = {
  read: { label: "read", hint: "Read anything you can see (GET requests)" },
  "runs:write": { label: "runs:write", hint: "Start runs and backfills, post computations for a waiting run" },
  "evidence:write": { label: "evidence:write", hint: "Push evidence to push controls" },
  admin: { label: "admin", hint: "Everything your role allows" },
};
const LIFETIMES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "366", label: "1 year" },
  { value: "", label: "Never" },
] as const;

/** Creating a token, then showing its secret once; closing the dialog forgets the secret. */
export function CreateTokenDialog({ prefill }: { prefill?: TokenPrefill | undefined }) {
  // A link asking for a token (e.g. for one push control) opens the form at once, filled in.
  const [isOpen, setIsOpen] = useState(Boolean(prefill));
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
          <CreateTokenForm prefill={prefill} onCancel={() => changeOpen(false)} onCreated={setCreated} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function CreateTokenForm({
  prefill,
  onCreated,
  onCancel,
}: {
  prefill: TokenPrefill | undefined;
  onCreated: (token: CreatedApiToken) => void;
  onCancel: () => void;
}) {
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: TokenFormSchema,
    defaultValues: {
      name: "",
      expiresInDays: "90",
      scopes: prefill?.scopes ?? [],
      catalogIds: prefill?.catalogIds ?? [],
      controlIds: prefill?.controlIds ?? [],
    },
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
      <fieldset className="space-y-1.5" aria-describedby="token-scopes-hint">
        <legend className="text-sm font-medium">Scopes</legend>
        {API_TOKEN_SCOPES.map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4" value={scope} {...form.register("scopes")} />
            <span>
              <span className="font-mono">{SCOPE_LABELS[scope].label}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{SCOPE_LABELS[scope].hint}</span>
            </span>
          </label>
        ))}
        <p id="token-scopes-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
          None ticked: the token may do everything your role allows. It never exceeds your role.
        </p>
        {errors.scopes?.message && <p className="text-sm text-red-600 dark:text-red-400">{errors.scopes.message}</p>}
      </fieldset>
      <TokenLimitsFields
        register={form.register}
        isScoped={(form.watch("scopes") ?? []).length > 0}
        prefill={prefill}
      />
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
