// RFC 9110 §7.6.1: meaningful for one hop only. `upgrade` and `connection` are added back for WebSocket upgrades.
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
]);
