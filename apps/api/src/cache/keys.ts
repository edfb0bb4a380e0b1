/**
 * Every cache key is built here, so the key space can be read in one place. The client adds the installation prefix.
 */
export const cacheKeys = {
  /** A refresh token, by the SHA-256 of its value → JSON {userId, familyId}. */
  refreshToken: (tokenHash: string) => `auth:refresh:${tokenHash}`,
  /** Set when a refresh token has been exchanged; a second exchange is a reuse and revokes the family. */
  refreshTokenUsed: (tokenHash: string) => `auth:refresh-used:${tokenHash}`,
  /**
   * A session (a refresh-token family) → JSON {userId}. Access tokens of the session are valid only while it exists.
   */
  session: (familyId: string) => `auth:session:${familyId}`,
  /** The session families of one user, to sign them all out at once. */
  userSessions: (userId: string) => `auth:user-sessions:${userId}`,
  /** Failed logins for one username. */
  loginFailures: (username: string) => `auth:login-failures:${username.toLowerCase()}`,
  /** Login attempts from one client address. */
  loginAttemptsByIp: (ip: string) => `auth:login-ip:${ip}`,
  /** The mashups read from Node-RED's flows → JSON Mashup[], kept for a few seconds. */
  mashups: () => "mashups:list",
  /** Held while a chat turn of a conversation runs, so two tabs cannot interleave their turns. */
  conversationTurn: (conversationId: string) => `assistants:turn:${conversationId}`,
  /** Held while one process makes STATUS's Grafana service account or token, so two processes never both do. */
  grafanaServiceAccountLock: () => "grafana:service-account:lock",
} as const;
