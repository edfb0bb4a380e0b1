import {
  EventTypeSchema,
  type EventType,
  type MailDeliveryMode,
  type NotificationPreferences,
  type NotificationScope,
} from "@status/shared";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { ApiError } from "@/lib/api-client.ts";
import {
  useFollowableCatalogs,
  useNotificationPreferences,
  useUpdateNotificationPreferences,
} from "../api/notification-preferences.ts";

const EVENT_LABELS: Record<EventType, string> = {
  "control.failing": "A control starts failing",
  "control.recovered": "A control passes again",
  "control.stale": "A control goes stale (no result in time)",
  "control.fresh": "A stale control has results again",
  "run.error": "A control's runs keep ending in error",
  "catalog.compliance_below": "A catalog's compliance drops below its level",
};

const SCOPE_LABELS: Record<NotificationScope, string> = {
  all: "All controls",
  selected: "Controls of the catalogs I choose",
  owned_or_watched: "Controls I own or watch",
};

const DELIVERY_LABELS: Record<MailDeliveryMode, string> = {
  immediate: "At once, one mail per change",
  hourly: "Hourly digest",
  daily: "Daily digest (UTC)",
};

/** The profile page's notifications section: which changes reach the user by e-mail, and how often. */
export function NotificationsSection() {
  const preferencesQuery = useNotificationPreferences();
  return (
    <section aria-labelledby="notifications-heading" className="space-y-3">
      <h2 id="notifications-heading" className="text-lg font-semibold">
        Notifications
      </h2>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        E-mail when a control changes state. Choose none of the events to receive no mail.
      </p>
      {preferencesQuery.isPending && <Spinner label="Loading notification preferences" />}
      {preferencesQuery.isError && (
        <LoadError
          title="The notification preferences could not be loaded"
          error={preferencesQuery.error}
          onRetry={() => void preferencesQuery.refetch()}
        />
      )}
      {/* The form keeps its own state after a save (it then equals what was saved), so its "Saved" stays visible. */}
      {preferencesQuery.data && <PreferencesForm saved={preferencesQuery.data} />}
    </section>
  );
}

function PreferencesForm({ saved }: { saved: NotificationPreferences }) {
  const [eventTypes, setEventTypes] = useState<EventType[]>(saved.eventTypes);
  const [scope, setScope] = useState<NotificationScope>(saved.scope);
  const [catalogIds, setCatalogIds] = useState<string[]>(saved.catalogIds);
  const [delivery, setDelivery] = useState<MailDeliveryMode>(saved.delivery);
  const update = useUpdateNotificationPreferences();
  const catalogsQuery = useFollowableCatalogs(scope === "selected");

  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ eventTypes, scope, catalogIds, controlIds: saved.controlIds, delivery });
  };
  const error = update.error instanceof ApiError ? update.error : undefined;

  return (
    <form aria-label="Notification preferences" onSubmit={submit} className="max-w-prose space-y-4">
      {!saved.isEmailEnabled && (
        <Alert variant="info" title="E-mail is not set up on this server">
          Your choices are kept and apply once an administrator configures SMTP.
        </Alert>
      )}
      {saved.isEmailEnabled && !saved.email && (
        <Alert variant="info" title="Your account has no e-mail address">
          Ask an administrator to add one; until then no mail can reach you.
        </Alert>
      )}
      {saved.email && <p className="text-sm">Mail goes to {saved.email}.</p>}
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Events</legend>
        {EventTypeSchema.options.map((type) => (
          <label key={type} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={eventTypes.includes(type)}
              onChange={() => setEventTypes(toggle(eventTypes, type))}
            />
            {EVENT_LABELS[type]}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Which controls</legend>
        {(Object.keys(SCOPE_LABELS) as NotificationScope[]).map((value) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" checked={scope === value} onChange={() => setScope(value)} />
            {SCOPE_LABELS[value]}
          </label>
        ))}
        {scope === "selected" && catalogsQuery.isPending && <Spinner label="Loading catalogs" />}
        {scope === "selected" && catalogsQuery.data && (
          <fieldset className="ml-6 space-y-1">
            <legend className="sr-only">Catalogs</legend>
            {catalogsQuery.data.items.map((catalog) => (
              <label key={catalog.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={catalogIds.includes(catalog.id)}
                  onChange={() => setCatalogIds(toggle(catalogIds, catalog.id))}
                />
                {catalog.name}
              </label>
            ))}
          </fieldset>
        )}
      </fieldset>
      <label className="block space-y-1.5 text-sm">
        <span className="block font-medium">Delivery</span>
        <select
          value={delivery}
          onChange={(event) => setDelivery(event.target.value as MailDeliveryMode)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900"
        >
          {(Object.keys(DELIVERY_LABELS) as MailDeliveryMode[]).map((value) => (
            <option key={value} value={value}>
              {DELIVERY_LABELS[value]}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <Alert title="The preferences were not saved">
          {error.errors.length > 0 ? error.errors.map((issue) => issue.message).join("; ") : error.message}
        </Alert>
      )}
      {update.isSuccess && !update.isPending && <p role="status">Saved.</p>}
      <Button type="submit" isLoading={update.isPending}>
        Save notification preferences
      </Button>
    </form>
  );
}
