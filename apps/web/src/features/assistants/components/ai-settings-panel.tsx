import { UpdateAiSettingsBodySchema, type AiSettings } from "@status/shared";
import { z } from "zod";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { useServerForm } from "@/lib/use-server-form.ts";
import { useAiSettings, useAiUsage, useCheckAiConnection, useUpdateAiSettings } from "../api/ai-settings.ts";

/** A blank key field keeps the stored key; a blank base URL means OpenAI's own server. */
const SettingsInputsSchema = z.object({
  apiKey: z.string(),
  baseUrl: z.string(),
  defaultModel: z.string(),
  dailyRequestLimit: z.coerce.number(),
  dailyTokenLimit: z.coerce.number(),
});

const SettingsFormSchema = SettingsInputsSchema.transform((values): z.input<typeof UpdateAiSettingsBodySchema> => ({
  ...(values.apiKey.trim() ? { apiKey: values.apiKey.trim() } : {}),
  baseUrl: values.baseUrl.trim() === "" ? null : values.baseUrl.trim(),
  defaultModel: values.defaultModel.trim(),
  dailyRequestLimit: values.dailyRequestLimit,
  dailyTokenLimit: values.dailyTokenLimit,
})).pipe(UpdateAiSettingsBodySchema);
const FIELDS = ["apiKey", "baseUrl", "defaultModel", "dailyRequestLimit", "dailyTokenLimit"] as const;

function keyStatus(settings: AiSettings): string {
  if (!settings.apiKeySet) return "No key is set: assistants cannot answer.";
  const source = settings.apiKeySource === "environment" ? "from OPENAI_API_KEY" : "stored encrypted";
  return `A key is set (${source}), ending in …${settings.apiKeyLast4 ?? "????"}.`;
}

function SettingsForm({ settings }: { settings: AiSettings }) {
  const check = useCheckAiConnection();
  // A check of the settings before this change says nothing about the new ones.
  const update = useUpdateAiSettings({ onMutate: () => check.reset() });
  const removeKey = useUpdateAiSettings();
  const { form, onSubmit, formError, isPending } = useServerForm({
    schema: SettingsFormSchema,
    defaultValues: {
      apiKey: "",
      baseUrl: settings.baseUrl ?? "",
      defaultModel: settings.defaultModel,
      dailyRequestLimit: settings.dailyRequestLimit,
      dailyTokenLimit: settings.dailyTokenLimit,
    },
    mutation: update,
    fields: FIELDS,
    onSubmitted: (_saved, { resetField }) => resetField("apiKey", { defaultValue: "" }),
  });
  const errors = form.formState.errors;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      {update.isSuccess && <Alert variant="info">The AI settings were saved.</Alert>}
      <p className="text-sm">{keyStatus(settings)}</p>
      <FormField
        label="API key"
        hint="Leave blank to keep the current key. It is stored encrypted and never shown again."
        error={errors.apiKey?.message}
      >
        {(control) => <Input {...control} type="password" autoComplete="off" {...form.register("apiKey")} />}
      </FormField>
      <FormField
        label="Base URL"
        hint="An OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1; blank for OpenAI."
        error={errors.baseUrl?.message}
      >
        {(control) => <Input {...control} {...form.register("baseUrl")} />}
      </FormField>
      <FormField label="Default model" error={errors.defaultModel?.message}>
        {(control) => <Input {...control} {...form.register("defaultModel")} />}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Daily requests per user" hint="0: no limit." error={errors.dailyRequestLimit?.message}>
          {(control) => <Input {...control} type="number" min={0} {...form.register("dailyRequestLimit")} />}
        </FormField>
        <FormField label="Daily tokens per user" hint="0: no limit." error={errors.dailyTokenLimit?.message}>
          {(control) => <Input {...control} type="number" min={0} {...form.register("dailyTokenLimit")} />}
        </FormField>
      </div>
      {check.data &&
        (check.data.isOk ? (
          <Alert variant="info">The server answered with {check.data.modelCount} models.</Alert>
        ) : (
          <Alert title={check.data.title}>{check.data.detail}</Alert>
        ))}
      <div className="flex flex-wrap justify-end gap-2">
        {settings.apiKeySource === "settings" && (
          <Button variant="ghost" isLoading={removeKey.isPending} onClick={() => removeKey.mutate({ apiKey: null })}>
            Remove stored key
          </Button>
        )}
        <Button variant="secondary" isLoading={check.isPending} onClick={() => check.mutate()}>
          Check connection
        </Button>
        <Button type="submit" isLoading={isPending}>
          Save AI settings
        </Button>
      </div>
    </form>
  );
}

function UsageTable() {
  const usage = useAiUsage();
  if (usage.isPending) return <Spinner label="Loading usage" />;
  if (usage.isError) return <Alert title="The usage could not be loaded">{usage.error.message}</Alert>;
  if (usage.data.length === 0) return <p className="text-sm text-zinc-500">No AI requests yet.</p>;
  return (
    <Table>
      <TableHead>
        <TableRow>
          <TableHeaderCell>Day (UTC)</TableHeaderCell>
          <TableHeaderCell>User</TableHeaderCell>
          <TableHeaderCell>Requests</TableHeaderCell>
          <TableHeaderCell>Tokens (prompt + completion)</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {usage.data.slice(0, 50).map((row) => (
          <TableRow key={`${row.day}-${row.userId}`}>
            <TableCell>{row.day}</TableCell>
            <TableCell>{row.username}</TableCell>
            <TableCell>{row.requests}</TableCell>
            <TableCell>
              {row.promptTokens + row.completionTokens} ({row.promptTokens} + {row.completionTokens})
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** ADMIN: the OpenAI key and server, the default model, the daily limits, and usage per user. */
export function AiSettingsPanel() {
  const settings = useAiSettings();
  return (
    <section
      aria-labelledby="ai-settings-heading"
      className="mt-10 space-y-6 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800"
    >
      <h2 id="ai-settings-heading" className="text-lg font-semibold">
        AI settings
      </h2>
      {settings.isPending && <Spinner label="Loading AI settings" />}
      {settings.isError && <Alert title="The AI settings could not be loaded">{settings.error.message}</Alert>}
      {settings.data && <SettingsForm settings={settings.data} />}
      <h3 className="text-base font-semibold">Usage</h3>
      <UsageTable />
    </section>
  );
}
