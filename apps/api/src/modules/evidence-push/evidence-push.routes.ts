import type { Response } from "express";
import {
  ControlEvidenceParamsSchema,
  EvidenceSubmissionBodySchema,
  EvidenceSubmissionResultSchema,
  IdempotencyKeySchema,
  type EvidenceSubmissionResult,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { ValidationError } from "../../errors.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { submitEvidence } from "./evidence-push.service.ts";

/** The optional `Idempotency-Key` header, checked like any other input (400 when malformed). */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new ValidationError([{ path: "headers.idempotency-key", message: parsed.error.issues[0]!.message }]);
  }
  return parsed.data;
}

/**
 * The answer: 200 for a retry, else 201 with the computation's Location (set as is: an id needs none of
 * res.location's encoding). res.json writes the body directly for every route (http/json-response.ts).
 */
function answerSubmission(res: Response, result: EvidenceSubmissionResult): void {
  if (result.status !== "duplicate") {
    res.status(201);
    res.setHeader("Location", `/api/v1/computations/${result.computationId}`);
  }
  res.json(result);
}

export function evidencePushRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "post",
      path: "/controls/:id/evidence",
      summary:
        "Send evidence to a push control for one window ({window} or {at}, default now); an Idempotency-Key header makes retries safe",
      tag: "Evidence push",
      access: "DEVELOPER",
      tokenScope: "evidence:write",
      params: ControlEvidenceParamsSchema,
      body: EvidenceSubmissionBodySchema,
      responses: {
        200: {
          description: "A retry with the same Idempotency-Key and body: the first answer, status duplicate",
          schema: EvidenceSubmissionResultSchema,
        },
        201: {
          description: "Stored as a computation: accepted, or late (its window's point was already made)",
          schema: EvidenceSubmissionResultSchema,
        },
        409: {
          description:
            "`control_not_push` (the control has a mashup), `archived`, `window_outside_life`, or `idempotency_key_reused` (the key came with another body), or `conflict` (the control kept changing while the evidence was stored)",
        },
        413: { description: "`payload_too_large`: the body is over the request size limit" },
        422: {
          description:
            "`scope_required`, `scope_mismatch` (not one of the control's scope sets) or `window_not_of_period` (not a window of its period)",
        },
      },
      async handler({ req, res, actor, params, body }) {
        const idempotencyKey = idempotencyKeyOf(req.get("idempotency-key"));
        const result = await submitEvidence(deps, actor, params.id, body, idempotencyKey ? { idempotencyKey } : {});
        answerSubmission(res, result);
      },
    }),
  ];
}
