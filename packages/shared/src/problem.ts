import { z } from "zod";

/** Every stable error code the API can answer with. Clients branch on `code`, never on `title` or `detail`. */
export const ErrorCodeSchema = z.enum([
  "validation_failed",
  "bad_request",
  "malformed_json",
  "payload_too_large",
  "unsupported_media_type",
  "not_found",
  "route_not_found",
  "method_not_allowed",
  "unauthenticated",
  "invalid_credentials",
  "token_expired",
  "token_invalid",
  "refresh_token_reused",
  "csrf_failed",
  "forbidden",
  "account_disabled",
  "rate_limited",
  "conflict",
  "duplicate",
  "catalog_finalized",
  "catalog_not_finalizable",
  "catalog_has_controls",
  "control_finalized",
  "control_not_finalizable",
  "reason_required",
  "scope_in_use",
  "last_admin",
  "control_not_runnable",
  "run_finished",
  "too_many_windows",
  "mashup_timeout",
  "github_disabled",
  "github_not_linked",
  "github_failed",
  "grafana_not_configured",
  "grafana_pending",
  "grafana_unreachable",
  "grafana_timeout",
  "grafana_auth_failed",
  "grafana_rejected",
  "dashboard_version_conflict",
  "dashboard_exists",
  "dashboard_panel_not_found",
  "service_unavailable",
  "registry_not_configured",
  "registry_not_published",
  "registry_unavailable",
  "registry_failed",
  "internal_error",
  "assistant_disabled",
  "conversation_busy",
  "document_unreadable",
  "ai_not_configured",
  "ai_invalid_api_key",
  "ai_quota_exhausted",
  "ai_rate_limited",
  "ai_unavailable",
  "ai_upstream_error",
  "ai_limit_reached",
  "oscal_invalid",
  "oscal_version_unsupported",
  "profile_unsupported",
  "import_invalid",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** One validation issue, with a dotted path such as `body.threshold` or `query.page`. */
export const ProblemIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ProblemIssue = z.infer<typeof ProblemIssueSchema>;

/** RFC 9457 problem details, as every non-2xx answer of the API carries them (`application/problem+json`). */
export const ProblemDetailsSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z.array(ProblemIssueSchema).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
