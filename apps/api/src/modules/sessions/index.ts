export {
  endAllSessions,
  endSession,
  forgetCachedSessions,
  isSessionActive,
  peekRefreshToken,
  revokeAllSessionsIn,
  rotateRefreshToken,
  startSession,
  type SessionAuthMethod,
  type SessionClient,
  type SessionDeps,
  type SessionRevokeReason,
} from "./sessions.ts";
