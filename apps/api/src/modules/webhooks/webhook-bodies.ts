import type { StatusCloudEvent, WebhookFormat } from "@status/shared";

/** The content type each format is sent with. */
export function contentTypeOf(format: WebhookFormat): string {
  return format === "cloudevents" ? "application/cloudevents+json" : "application/json";
}

const STATE_WORDS: Record<string, string> = {
  "control.failing": "is failing",
  "control.recovered": "recovered",
  "control.stale": "is stale (no recent result)",
  "control.fresh": "is fresh again",
  "run.error": "has runs ending in error",
  "catalog.compliance_below": "is below its compliance level",
};

/** One line a person reads: what changed, where, and the numbers. */
export function headlineOf(event: StatusCloudEvent): string {
  const { data } = event;
  const subject = data.control ? `${data.control.name} (${data.catalog.name})` : data.catalog.name;
  const scope = Object.entries(data.scope)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
  const parts = [`STATUS: ${subject} ${STATE_WORDS[event.type] ?? event.type}`];
  if (scope) parts.push(`scope ${scope}`);
  if (data.window) parts.push(`window ${data.window.from} – ${data.window.to}`);
  if (data.compliance !== null) parts.push(`compliance ${data.compliance}%`);
  if (data.threshold !== null) parts.push(`threshold ${data.threshold}%`);
  if (data.consecutiveErrors !== undefined) parts.push(`${data.consecutiveErrors} errored runs in a row`);
  return parts.join(" · ");
}

/**
 * The body a subscription receives: the CloudEvent itself, a Slack-compatible incoming-webhook message
 * (`{text, blocks}`), or a Microsoft Teams incoming-webhook message carrying an Adaptive Card.
 */
export function renderBody(format: WebhookFormat, event: StatusCloudEvent): string {
  if (format === "cloudevents") return JSON.stringify(event);
  const text = headlineOf(event);
  const link = event.data.evidenceUrl;
  if (format === "slack") {
    return JSON.stringify({
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text } },
        ...(link ? [{ type: "context", elements: [{ type: "mrkdwn", text: `<${link}|Open in STATUS>` }] }] : []),
      ],
    });
  }
  return JSON.stringify({
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [{ type: "TextBlock", text, wrap: true, weight: "Bolder" }],
          ...(link ? { actions: [{ type: "Action.OpenUrl", title: "Open in STATUS", url: link }] } : {}),
        },
      },
    ],
  });
}
