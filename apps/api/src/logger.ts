import { pino, type LevelWithSilent, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/** JSON logs on stdout; secrets that may appear in logged objects are redacted. */
export function createLogger(level: LevelWithSilent): Logger {
  return pino({
    level,
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "refreshToken",
        "*.refreshToken",
        "req.headers.authorization",
        "req.headers.cookie",
      ],
      censor: "[redacted]",
    },
  });
}
