import type { NotificationPreferences, UpdateNotificationPreferencesBody } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { ValidationError } from "../../errors.ts";
import { findCatalogsByIds } from "../catalogs/index.ts";
import { getControlsWithCatalogs } from "../controls/index.ts";
import { DEFAULT_MAIL_PREFERENCES, findPreference, findUserEmail, upsertPreference } from "./mail.repository.ts";

/**
 * The caller's own preferences; a user who never saved any has the defaults: the control events of the controls they
 * own or watch, delivered immediately.
 */
export async function getNotificationPreferences(deps: AppDeps, actor: Actor): Promise<NotificationPreferences> {
  const [preference, email] = await Promise.all([
    findPreference(deps.db, actor.userId),
    findUserEmail(deps.db, actor.userId),
  ]);
  return {
    eventTypes: preference?.eventTypes ?? [...DEFAULT_MAIL_PREFERENCES.eventTypes],
    scope: preference?.scope ?? DEFAULT_MAIL_PREFERENCES.scope,
    catalogIds: preference?.catalogIds ?? [],
    controlIds: preference?.controlIds ?? [],
    delivery: preference?.delivery ?? DEFAULT_MAIL_PREFERENCES.delivery,
    email,
    isEmailEnabled: deps.config.mail.isEnabled,
    updatedAt: preference ? new Date(preference.updatedAt).toISOString() : null,
  };
}

/**
 * Replaces the caller's preferences. Selected catalogs and controls must exist (archived ones are accepted: they
 * simply emit nothing); with another scope the selections are cleared, so what is stored is what applies.
 */
export async function updateNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
  body: UpdateNotificationPreferencesBody,
): Promise<NotificationPreferences> {
  const isSelected = body.scope === "selected";
  const catalogIds = isSelected ? [...new Set(body.catalogIds)] : [];
  const controlIds = isSelected ? [...new Set(body.controlIds)] : [];
  await assertSelectionExists(deps, catalogIds, controlIds);
  await upsertPreference(deps.db, {
    userId: actor.userId,
    eventTypes: body.eventTypes,
    scope: body.scope,
    catalogIds,
    controlIds,
    delivery: body.delivery,
    now: deps.now(),
  });
  return getNotificationPreferences(deps, actor);
}

async function assertSelectionExists(deps: AppDeps, catalogIds: string[], controlIds: string[]): Promise<void> {
  const [catalogs, controls] = await Promise.all([
    catalogIds.length > 0 ? findCatalogsByIds(deps.db, catalogIds) : [],
    controlIds.length > 0 ? getControlsWithCatalogs(deps.db, controlIds) : new Map(),
  ]);
  const knownCatalogs = new Set(catalogs.map((catalog) => catalog.id));
  const issues = [
    ...catalogIds
      .map((id, index) => ({ id, path: `body.catalogIds.${index}` }))
      .filter(({ id }) => !knownCatalogs.has(id)),
    ...controlIds.map((id, index) => ({ id, path: `body.controlIds.${index}` })).filter(({ id }) => !controls.has(id)),
  ].map(({ id, path }) => ({ path, message: `No catalog or control with id ${id}` }));
  if (issues.length > 0) throw new ValidationError(issues);
}
