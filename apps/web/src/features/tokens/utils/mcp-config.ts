/** The MCP endpoint of the STATUS serving this page. */
export function mcpUrl(origin: string): string {
  return `${origin}/api/v1/mcp`;
}

const TOKEN_PLACEHOLDER = "stt_…your token…";

/** A client configuration for Streamable HTTP with the token as Bearer (Claude Desktop and Code, Cursor, VS Code). */
export function httpClientConfig(origin: string): string {
  const server = { type: "http", url: mcpUrl(origin), headers: { Authorization: `Bearer ${TOKEN_PLACEHOLDER}` } };
  return JSON.stringify({ mcpServers: { status: server } }, null, 2);
}

/**
 * A client configuration for clients that only start local processes: the stdio bridge from a checkout of STATUS,
 * relaying to this STATUS with the token.
 */
export function stdioClientConfig(origin: string): string {
  const server = {
    command: "npm",
    args: ["run", "--silent", "--prefix", "/path/to/status", "mcp:stdio"],
    env: { STATUS_API_URL: origin, STATUS_API_TOKEN: TOKEN_PLACEHOLDER },
  };
  return JSON.stringify({ mcpServers: { status: server } }, null, 2);
}
