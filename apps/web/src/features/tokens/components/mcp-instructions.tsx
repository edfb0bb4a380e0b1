import { Button } from "@/components/ui/button.tsx";
import { CopyableSecret } from "@/components/ui/copyable-secret.tsx";
import { useClipboardCopy } from "@/components/ui/copy-button.tsx";
import { httpClientConfig, mcpUrl, stdioClientConfig } from "../utils/mcp-config.ts";

function CopyableSnippet({ label, text }: { label: string; text: string }) {
  const { copyState, copy } = useClipboardCopy(text);
  return (
    <figure className="space-y-1.5">
      <figcaption className="flex items-center justify-between text-sm font-medium">
        {label}
        <Button variant="secondary" size="sm" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          {copyState === "copied" ? "Copied" : "Copy"}
        </Button>
      </figcaption>
      <pre className="overflow-x-auto rounded-md bg-zinc-100 p-3 text-xs dark:bg-zinc-900">{text}</pre>
      {copyState === "failed" && (
        <p className="text-sm text-red-600 dark:text-red-400">Copying failed; select the text and copy it by hand.</p>
      )}
    </figure>
  );
}

/**
 * How to connect an AI agent through the Model Context Protocol: this STATUS's endpoint, and ready-to-copy client
 * configurations (Streamable HTTP with a Bearer token; the stdio bridge for clients that only start processes).
 */
export function McpInstructions({ origin }: { origin: string }) {
  return (
    <section aria-labelledby="mcp-heading" className="mt-10 space-y-4">
      <div>
        <h2 id="mcp-heading" className="text-lg font-semibold">
          Connect an AI agent (MCP)
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          STATUS is an MCP server: agents list catalogs, read compliance, failing controls and evidence, verify hash
          chains, search knowledge bases and run controls, with the role of the token&apos;s owner and the token&apos;s
          scopes. A token with the <span className="font-mono">read</span> scope is enough to look;{" "}
          <span className="font-mono">runs:write</span> lets it run controls.
        </p>
      </div>
      <CopyableSecret value={mcpUrl(origin)} label="MCP endpoint" what="URL" />
      <CopyableSnippet label="Streamable HTTP configuration" text={httpClientConfig(origin)} />
      <CopyableSnippet label="stdio configuration" text={stdioClientConfig(origin)} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Replace the token placeholder with a token created above. The stdio variant runs from a checkout of STATUS
        (after <span className="font-mono">npm run bootstrap</span>) and relays to this server.
      </p>
    </section>
  );
}
