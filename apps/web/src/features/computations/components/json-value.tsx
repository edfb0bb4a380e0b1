import { useId, useState } from "react";

const MAX_COLLAPSED_CHARS = 160;
const MAX_COLLAPSED_LINES = 4;

/** Evidence values come from parsed JSON, so every value but `undefined` has a JSON text. */
function toJson(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value, null, 2);
}

/** A JSON value, pretty-printed; long values are cut short with a button to show them whole. */
export function JsonValue({ value }: { value: unknown }) {
  const [isExpanded, setIsExpanded] = useState(false);
  const id = useId();
  const text = toJson(value);
  const lines = text.split("\n");
  const isLong = text.length > MAX_COLLAPSED_CHARS || lines.length > MAX_COLLAPSED_LINES;
  const shown =
    !isLong || isExpanded ? text : `${lines.slice(0, MAX_COLLAPSED_LINES).join("\n").slice(0, MAX_COLLAPSED_CHARS)}…`;
  return (
    <div>
      <pre id={id} className="font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere]">
        {shown}
      </pre>
      {isLong && (
        <button
          type="button"
          aria-expanded={isExpanded}
          aria-controls={id}
          className="mt-1 text-xs text-indigo-700 hover:underline dark:text-indigo-300"
          onClick={() => setIsExpanded((expanded) => !expanded)}
        >
          {isExpanded ? "Show less" : "Show all"}
        </button>
      )}
    </div>
  );
}
