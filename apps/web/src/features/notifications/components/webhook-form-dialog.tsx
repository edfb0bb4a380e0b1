import {
  CreateWebhookBodySchema,
  EventTypeSchema,
  WebhookFormatSchema,
  type Webhook,
  type WebhookWithSecret,
} from "@status/shared";
import { useState } from "react";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input, Select } from "@/components/ui/input.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useCreateWebhook, useUpdateWebhook } from "../api/webhooks.ts";
import { WebhookSecret } from "./webhook-secret.tsx";

const InputsSchema = z.object({
  url: z.string(),
  events: z.array(z.string()),
  format: z.string(),
  holdWindows: z.string(),
});
type Inputs = z.infer<typeof InputsSchema>;

const FormSchema = InputsSchema.transform((values): z.input<typeof CreateWebhookBodySchema> => ({
  url: values.url,
  events: values.events as z.input<typeof CreateWebhookBodySchema>["events"],
  format: values.format as z.input<typeof CreateWebhookBodySchema>["format"],
  holdWindows: Number(values.holdWindows),
})).pipe(CreateWebhookBodySchema);

const FIELDS = ["url", "events", "format", "holdWindows"] as const;
const FORMAT_LABELS: Record<string, string> = {
  cloudevents: "CloudEvents (signed JSON)",
  slack: "Slack-compatible incoming webhook",
  teams: "Microsoft Teams incoming webhook",
};

/** Creating a subscription (then its secret, once), or editing one (`webhook` given). */
export function WebhookFormDialog({ webhook }: { webhook?: Webhook }) {
  const [isOpen, setIsOpen] = useState(false);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) setCreated(null);
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        {webhook ? (
          <Button variant="secondary" size="sm">
            Edit
          </Button>
        ) : (
          <Button>New webhook</Button>
        )}
      </DialogTrigger>
      {created ? (
        <DialogContent title="Copy the signing secret" description="You will not see it again.">
          <WebhookSecret webhook={created} />
        </DialogContent>
      ) : (
        <DialogContent
          title={webhook ? "Edit webhook" : "New webhook"}
          description="STATUS posts each chosen event to the URL, signed, from its workers."
        >
          <WebhookForm
            webhook={webhook}
            onCancel={() => changeOpen(false)}
            onCreated={setCreated}
            onSaved={() => changeOpen(false)}
          />
        </DialogContent>
      )}
    </Dialog>
  );
}

function WebhookForm({
  webhook,
  onCreated,
  onSaved,
  onCancel,
}: {
  webhook: Webhook | undefined;
  onCreated: (webhook: WebhookWithSecret) => void;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const mutation = {
    isPending: create.isPending || update.isPending,
    mutateAsync: async (body: z.output<typeof FormSchema>) => {
      if (!webhook) return onCreated(await create.mutateAsync(body));
      const { url, events, format, holdWindows } = body;
      await update.mutateAsync({ id: webhook.id, body: { url, events, format, holdWindows } });
      onSaved();
    },
  };
  const { form, onSubmit, formError, isPending } = useServerForm<
    Inputs,
    z.output<typeof FormSchema>,
    z.output<typeof FormSchema>,
    void
  >({
    schema: FormSchema,
    defaultValues: {
      url: webhook?.url ?? "",
      events: webhook?.events ?? ["control.failing", "control.recovered"],
      format: webhook?.format ?? "cloudevents",
      holdWindows: String(webhook?.holdWindows ?? 1),
    },
    mutation,
    fields: FIELDS,
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <FormField label="URL" hint="An http(s) address your receiver listens on." error={errors.url?.message}>
        {(control) => <Input {...control} autoFocus type="url" {...form.register("url")} />}
      </FormField>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Events</legend>
        {EventTypeSchema.options.map((type) => (
          <label key={type} className="flex items-center gap-2 text-sm">
            <input type="checkbox" value={type} {...form.register("events")} />
            <span className="font-mono">{type}</span>
          </label>
        ))}
        {errors.events && <p className="text-sm text-red-600 dark:text-red-400">{errors.events.message}</p>}
      </fieldset>
      <FormField label="Format" error={errors.format?.message}>
        {(control) => (
          <Select {...control} {...form.register("format")}>
            {WebhookFormatSchema.options.map((format) => (
              <option key={format} value={format}>
                {FORMAT_LABELS[format]}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField
        label="Hold for windows"
        hint="Deliver a failing or recovered state only after it held this many windows in a row (1–10)."
        error={errors.holdWindows?.message}
      >
        {(control) => <Input {...control} type="number" min={1} max={10} {...form.register("holdWindows")} />}
      </FormField>
      <FormActions submitLabel={webhook ? "Save" : "Create webhook"} isPending={isPending} onCancel={onCancel} />
    </form>
  );
}
