import type { Response } from "express";
import { PROBLEM_CONTENT_TYPE, type ErrorCode, type ProblemDetails, type ProblemIssue } from "@status/shared";

export const PROBLEM_TYPE_BASE = "https://status.example/problems/";

export interface ProblemInput {
  status: number;
  code: ErrorCode;
  title: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemIssue[];
}

/** Builds RFC 9457 problem details; `type` is a stable URI per code. */
export function toProblem(input: ProblemInput): ProblemDetails {
  return {
    type: `${PROBLEM_TYPE_BASE}${input.code}`,
    title: input.title,
    status: input.status,
    ...(input.detail ? { detail: input.detail } : {}),
    ...(input.instance ? { instance: input.instance } : {}),
    code: input.code,
    ...(input.requestId ? { requestId: input.requestId } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
  };
}

export function sendProblem(res: Response, problem: ProblemDetails, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
