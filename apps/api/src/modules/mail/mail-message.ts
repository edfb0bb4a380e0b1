import type { EventType, StatusCloudEvent, StatusEventData } from "@status/shared";

/** A rendered e-mail: a subject, the plain text and the same content as simple HTML. */
export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

const HEADLINES: Record<EventType, string> = {
  "control.failing": "is failing",
  "control.recovered": "recovered",
  "control.stale": "is stale: no result arrived in time",
  "control.fresh": "has results again",
  "run.error": "cannot be evaluated: its runs end in error",
  "catalog.compliance_below": "compliance is below its level",
};

function headline(event: StatusCloudEvent): string {
  const { data } = event;
  const what = data.control ? `${data.control.name} (${data.catalog.name})` : data.catalog.name;
  const change = HEADLINES[event.type as EventType] ?? event.type;
  return `${what} ${change}`;
}

function formatInstant(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10} %`;
}

/** An API or SPA path made absolute against the public URL; absolute URLs stay as they are. */
function absolute(publicUrl: string, url: string): string {
  return url.startsWith("/") ? `${publicUrl}${url}` : url;
}

/** The facts of one event as label/value pairs, in the order the message shows them. */
function facts(data: StatusEventData, event: StatusCloudEvent): [string, string][] {
  const rows: [string, string][] = [];
  if (data.control) rows.push(["Control", data.control.name]);
  rows.push(["Catalog", data.catalog.name]);
  const scope = Object.entries(data.scope);
  rows.push([
    "Scope",
    scope.length === 0 ? "whole control" : scope.map(([key, value]) => `${key}=${value}`).join(", "),
  ]);
  if (data.window) rows.push(["Window", `${formatInstant(data.window.from)} – ${formatInstant(data.window.to)}`]);
  if (data.previousState || data.newState)
    rows.push(["Result", `${data.previousState ?? "none"} → ${data.newState ?? "none"}`]);
  const evidence = evidenceSummary(data);
  if (evidence) rows.push(["Evidence", evidence]);
  rows.push(["When", formatInstant(event.time)]);
  return rows;
}

function evidenceSummary(data: StatusEventData): string | undefined {
  const parts: string[] = [];
  if (data.compliance !== null) parts.push(`compliance ${formatPercent(data.compliance)}`);
  if (data.threshold !== null) parts.push(`threshold ${formatPercent(data.threshold)}`);
  if (data.consecutiveErrors !== undefined) parts.push(`${data.consecutiveErrors} runs in a row ended in error`);
  return parts.length > 0 ? parts.join(", ") : undefined;
}

function links(publicUrl: string, data: StatusEventData): [string, string][] {
  const rows: [string, string][] = [];
  const page = data.control
    ? `${publicUrl}/catalogs/${data.catalog.id}/controls/${data.control.id}`
    : `${publicUrl}/catalogs/${data.catalog.id}`;
  rows.push(["Open in STATUS", page]);
  if (data.evidenceUrl) rows.push(["Evidence", absolute(publicUrl, data.evidenceUrl)]);
  if (data.computationUrl) rows.push(["Computation", absolute(publicUrl, data.computationUrl)]);
  return rows;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function eventText(publicUrl: string, event: StatusCloudEvent): string {
  const lines = [
    headline(event),
    "",
    ...facts(event.data, event).map(([label, value]) => `${label}: ${value}`),
    "",
    ...links(publicUrl, event.data).map(([label, url]) => `${label}: ${url}`),
  ];
  return lines.join("\n");
}

function eventHtml(publicUrl: string, event: StatusCloudEvent): string {
  const rows = facts(event.data, event)
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("");
  const anchors = links(publicUrl, event.data)
    .map(([label, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`)
    .join(" · ");
  return `<h2>${escapeHtml(headline(event))}</h2><table>${rows}</table><p>${anchors}</p>`;
}

const FOOTER = "You receive this because of your notification preferences in STATUS (Profile → Notifications).";

/**
 * One mail for one or more events of a user: a single event reads as that change; several read as a digest, one
 * section per event in the order they happened.
 */
export function renderMail(input: { publicUrl: string; events: StatusCloudEvent[] }): MailMessage {
  const { publicUrl, events } = input;
  const [first] = events;
  if (!first) throw new Error("renderMail needs at least one event");
  const subject = events.length === 1 ? `[STATUS] ${headline(first)}` : `[STATUS] ${events.length} control changes`;
  const separator = "\n\n" + "-".repeat(60) + "\n\n";
  const intro = events.length === 1 ? [] : [`${events.length} changes since the last digest:`, ""];
  const text = [...intro, events.map((event) => eventText(publicUrl, event)).join(separator), "", FOOTER].join("\n");
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    events.length === 1 ? "" : `<p>${events.length} changes since the last digest:</p>`,
    events.map((event) => eventHtml(publicUrl, event)).join("<hr>"),
    `<p><small>${escapeHtml(FOOTER)}</small></p>`,
    "</body></html>",
  ].join("");
  return { subject, text, html };
}
