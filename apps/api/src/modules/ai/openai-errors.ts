import { AppError } from "../../errors.ts";
import { loadedOpenAI } from "./openai-module.ts";

const FALLBACK_RETRY_SECONDS = 20;

/** Seconds from a Retry-After (or OpenAI's retry-after-ms) header; a default when the server gave none. */
function retryAfterSeconds(headers: Headers | undefined): number {
  const milliseconds = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return Math.max(1, Math.ceil(milliseconds / 1000));
  const seconds = Number(headers?.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : FALLBACK_RETRY_SECONDS;
}

/**
 * Maps what the `openai` client threw to a problem with a stable code. The SDK's own classes and the `code` that
 * OpenAI (and compatible servers) put in error bodies decide; messages are never parsed.
 */
export function toAiProblem(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Not loaded: no AI call was made, so this is no SDK error.
  const OpenAI = loadedOpenAI()?.default;
  if (!OpenAI) throw error;
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return new AppError(
      503,
      "ai_unavailable",
      "AI service unavailable",
      "The AI server did not answer in time; try again",
    );
  if (error instanceof OpenAI.APIConnectionError)
    return new AppError(
      503,
      "ai_unavailable",
      "AI service unavailable",
      "The AI server cannot be reached; check the base URL and the network",
    );
  if (error instanceof OpenAI.AuthenticationError) {
    return new AppError(
      502,
      "ai_invalid_api_key",
      "Invalid AI API key",
      "The AI server refused the API key; an administrator must set a valid key in the AI settings",
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    if (error.code === "insufficient_quota" || error.type === "insufficient_quota") {
      return new AppError(
        503,
        "ai_quota_exhausted",
        "AI credit exhausted",
        "The AI account has no credit left; an administrator must add credit or change the key",
      );
    }
    const seconds = retryAfterSeconds(error.headers);
    return new AppError(
      429,
      "ai_rate_limited",
      "AI rate limit reached",
      `The AI server is rate limiting requests; try again in ${seconds} seconds`,
      undefined,
      { "Retry-After": String(seconds) },
    );
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status === undefined ? "" : ` (${error.status})`;
    return new AppError(
      502,
      "ai_upstream_error",
      "AI server error",
      `The AI server failed${status}: ${error.message.slice(0, 300)}`,
    );
  }
  if (error instanceof OpenAI.OpenAIError)
    return new AppError(
      502,
      "ai_upstream_error",
      "AI server error",
      `The AI server's answer could not be read: ${error.message.slice(0, 300)}`,
    );
  throw error;
}
