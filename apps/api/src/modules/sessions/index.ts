export {
  endAllSessions,
  endSession,
  isSessionActive,
  peekRefreshToken,
  rotateRefreshToken,
  startSession,
  type SessionStore,
} from "./sessions.ts";
