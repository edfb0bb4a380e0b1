/**
 * Every cache key is built here, so the key space can be read in one place. The client adds the installation prefix.
 */
export const cacheKeys = {
  /**
   * An active session (a refresh-token family) → JSON {userId}, kept for a minute so the per-request check rarely
   * reaches Postgres (the sessions table is the truth; revocation deletes the entry).
   */
  session: (familyId: string) => `auth:session:${familyId}`,
  /** The mashups read from Node-RED's flows → JSON Mashup[], kept for a few seconds. */
  mashups: () => "mashups:list",
  /** Held while a chat turn of a conversation runs, so two tabs cannot interleave their turns. */
  conversationTurn: (conversationId: string) => `assistants:turn:${conversationId}`,
  /** Held while one process makes STATUS's Grafana service account or token, so two processes never both do. */
  grafanaServiceAccountLock: () => "grafana:service-account:lock",
} as const;
