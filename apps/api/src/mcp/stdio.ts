import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { isJSONRPCRequest, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { ConfigError, loadMcpStdioConfig, type McpStdioConfig } from "../config.ts";

/**
 * The MCP server for desktop clients that start a local process (`npm run mcp:stdio`): a bridge that relays each
 * stdio message to a running STATUS's Streamable HTTP endpoint with STATUS_API_TOKEN, and each answer back. It holds
 * no database credentials and answers exactly what /api/v1/mcp answers, under the same roles and token scopes.
 * stdout carries the protocol only; diagnostics go to stderr.
 */

let config: McpStdioConfig;
try {
  config = loadMcpStdioConfig();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}

const remote = new StreamableHTTPClientTransport(new URL(config.mcpUrl), {
  requestInit: { headers: { authorization: `Bearer ${config.token}` } },
});
const local = new StdioServerTransport();

/** A request the server could not be reached for still gets an answer, so the client does not wait forever. */
function failed(message: JSONRPCMessage, error: unknown): void {
  process.stderr.write(`status mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!isJSONRPCRequest(message)) return;
  void local.send({
    jsonrpc: "2.0",
    id: message.id,
    error: { code: -32000, message: `STATUS at ${config.mcpUrl} refused or failed: ${String(error)}` },
  });
}

local.onmessage = (message) => {
  remote.send(message).catch((error: unknown) => failed(message, error));
};
remote.onmessage = (message) => {
  // The negotiated version travels on every later request, as the SDK's own client does.
  const result = "result" in message ? (message.result as { protocolVersion?: unknown }) : undefined;
  if (typeof result?.protocolVersion === "string") remote.setProtocolVersion(result.protocolVersion);
  void local.send(message);
};
remote.onerror = (error) => process.stderr.write(`status mcp: ${error.message}\n`);
local.onclose = () => {
  void remote.close().finally(() => process.exit(0));
};

await remote.start();
await local.start();
