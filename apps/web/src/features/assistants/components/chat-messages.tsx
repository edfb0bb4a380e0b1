import { ASSISTANT_TOOLS, AssistantToolNameSchema, type Citations, type Message, type ToolCall } from "@status/shared";
import { clsx } from "clsx";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import type { LiveStep, LiveTurn } from "../hooks/use-chat-stream.ts";

function toolLabel(name: string): string {
  const tool = AssistantToolNameSchema.safeParse(name);
  return tool.success ? ASSISTANT_TOOLS[tool.data].label : name;
}

function controlHref(catalogId: string, controlId: string, computationId?: string): string {
  return `/catalogs/${catalogId}/controls/${controlId}${computationId ? `?computation=${computationId}` : ""}`;
}

/** The sources of an answer: controls and their evidence link to the control's page, documents are named. */
export function CitationList({ citations }: { citations: Citations }) {
  const { controls, computations, documents } = citations;
  if (controls.length + computations.length + documents.length === 0) return null;
  const catalogOf = new Map(controls.map((control) => [control.id, control.catalogId]));
  const nameOf = new Map(controls.map((control) => [control.id, control.name]));
  return (
    <div className="mt-2 text-xs" aria-label="Sources">
      <p className="font-medium text-zinc-600 dark:text-zinc-400">Sources</p>
      <ul className="mt-1 flex flex-wrap gap-2">
        {controls.map((control) => (
          <li key={control.id}>
            <Link
              className="text-indigo-700 underline dark:text-indigo-300"
              to={controlHref(control.catalogId, control.id)}
            >
              {control.name}
            </Link>
          </li>
        ))}
        {computations.map((computation) => {
          const catalogId = catalogOf.get(computation.controlId);
          const label = `Evidence of ${nameOf.get(computation.controlId) ?? "a control"}, ${computation.windowStart.slice(0, 10)}`;
          return (
            <li key={computation.id}>
              {catalogId ? (
                <Link
                  className="text-indigo-700 underline dark:text-indigo-300"
                  to={controlHref(catalogId, computation.controlId, computation.id)}
                >
                  {label}
                </Link>
              ) : (
                label
              )}
            </li>
          );
        })}
        {documents.map((document) => (
          <li key={document.id} className="text-zinc-600 dark:text-zinc-400">
            {document.filename}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DraftFlow({ nodes }: { nodes: NonNullable<Message["draftFlow"]> }) {
  const json = JSON.stringify(nodes, null, 2);
  return (
    <details className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-xs dark:border-amber-800 dark:bg-amber-950/40">
      <summary className="cursor-pointer font-medium">
        Drafted Node-RED flow ({nodes.length} nodes) — not deployed; review it, then import it in the editor
      </summary>
      <pre className="mt-2 max-h-80 overflow-auto whitespace-pre">{json}</pre>
      <button type="button" className="mt-1 underline" onClick={() => void navigator.clipboard?.writeText(json)}>
        Copy JSON
      </button>
    </details>
  );
}

/** One tool step: what was called with which arguments, and how it went. */
function ToolStep({
  call,
  result,
  draftFlow,
}: {
  call: ToolCall;
  result: { isError: boolean; summary: string } | "running" | undefined;
  draftFlow?: Message["draftFlow"];
}) {
  return (
    <li className="rounded border border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{toolLabel(call.name)}</span>
        {result === "running" && <Spinner size="sm" label="Running" />}
        {result && result !== "running" && (
          <Badge tone={result.isError ? "danger" : "success"}>{result.isError ? "refused or failed" : "done"}</Badge>
        )}
      </div>
      {call.arguments && call.arguments !== "{}" && (
        <code className="mt-1 block break-all text-zinc-500">{call.arguments}</code>
      )}
      {result && result !== "running" && <p className="mt-1 text-zinc-600 dark:text-zinc-400">{result.summary}</p>}
      {draftFlow && <DraftFlow nodes={draftFlow} />}
    </li>
  );
}

function summaryOf(message: Message | undefined): { isError: boolean; summary: string } | undefined {
  if (!message) return undefined;
  return { isError: message.isToolError, summary: message.toolSummary ?? "" };
}

function Bubble({ role, children }: { role: "user" | "assistant"; children: React.ReactNode }) {
  return (
    <div className={clsx("flex", role === "user" ? "justify-end" : "justify-start")}>
      <div
        className={clsx(
          "max-w-[85%] rounded-lg px-4 py-3 text-sm",
          role === "user" ? "bg-indigo-600 text-white" : "bg-zinc-100 dark:bg-zinc-800",
        )}
      >
        <p className="sr-only">{role === "user" ? "You" : "Assistant"}</p>
        {children}
      </div>
    </div>
  );
}

/** A stored conversation: questions, answers with their sources, and the tool steps in between. */
export function StoredMessages({ messages }: { messages: Message[] }) {
  const toolResults = new Map(
    messages.filter((message) => message.role === "tool").map((message) => [message.toolCallId, message]),
  );
  return (
    <>
      {messages.map((message) => {
        if (message.role === "user")
          return (
            <Bubble key={message.id} role="user">
              <p className="whitespace-pre-wrap">{message.content}</p>
            </Bubble>
          );
        if (message.role === "tool") return null;
        return (
          <Bubble key={message.id} role="assistant">
            {message.toolCalls.length > 0 && (
              <ol className="mb-2 space-y-1" aria-label="Tool steps">
                {message.toolCalls.map((call) => {
                  const result = toolResults.get(call.id);
                  return (
                    <ToolStep
                      key={call.id}
                      call={call}
                      result={summaryOf(result)}
                      draftFlow={result?.draftFlow ?? null}
                    />
                  );
                })}
              </ol>
            )}
            {message.content && <p className="whitespace-pre-wrap">{message.content}</p>}
            {message.toolCalls.length === 0 && <CitationList citations={message.citations} />}
          </Bubble>
        );
      })}
    </>
  );
}

/** The turn being streamed: the question at once, then the steps and the text as they arrive. */
export function LiveMessages({ turn }: { turn: LiveTurn }) {
  return (
    <>
      <Bubble role="user">
        <p className="whitespace-pre-wrap">{turn.question}</p>
      </Bubble>
      <Bubble role="assistant">
        {turn.steps.length > 0 && (
          <ol className="mb-2 space-y-1" aria-label="Tool steps">
            {turn.steps.map((step: LiveStep) => (
              <ToolStep key={step.call.id} call={step.call} result={step.result ?? "running"} />
            ))}
          </ol>
        )}
        {turn.text && (
          <p className="whitespace-pre-wrap" aria-live="polite">
            {turn.text}
          </p>
        )}
        {turn.isStreaming && !turn.text && !turn.error && <Spinner size="sm" label="Thinking" />}
        {turn.error && <Alert title={turn.error.title}>{turn.error.detail}</Alert>}
      </Bubble>
    </>
  );
}
