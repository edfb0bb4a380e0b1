import {
  ControlExceptionParamsSchema,
  CreatePointCommentBodySchema,
  CreatePointExceptionBodySchema,
  IdParamsSchema,
  PointAcknowledgementSchema,
  PointCommentListSchema,
  PointCommentSchema,
  PointExceptionListSchema,
  PointExceptionSchema,
  RevokePointExceptionBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  acknowledgePoint,
  addPointComment,
  listControlExceptions,
  listPointComments,
  recordPointException,
  revokePointException,
} from "./handling.service.ts";

export function handlingRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/points/:id/comments",
      summary: "A point's comments, oldest first",
      tag: "Handling",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "Its comments", schema: PointCommentListSchema } },
      async handler({ res, params }) {
        res.json(await listPointComments(deps, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/points/:id/comments",
      summary: "Comment on a point (comments are never edited: a correction is a new comment)",
      tag: "Handling",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CreatePointCommentBodySchema,
      responses: { 201: { description: "The comment", schema: PointCommentSchema } },
      async handler({ res, actor, params, body }) {
        const comment = await addPointComment(deps, actor, { pointId: params.id, body: body.body });
        res.status(201).location(`/api/v1/points/${params.id}/comments`).json(comment);
      },
    }),
    defineRoute({
      method: "post",
      path: "/points/:id/acknowledge",
      summary: "Acknowledge a failing point (once: again answers the first acknowledgement)",
      tag: "Handling",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: {
        200: { description: "It was acknowledged already", schema: PointAcknowledgementSchema },
        201: { description: "Acknowledged now", schema: PointAcknowledgementSchema },
        409: { description: "`point_not_failing`" },
      },
      async handler({ res, actor, params }) {
        const { acknowledgement, isNew } = await acknowledgePoint(deps, actor, params.id);
        res.status(isNew ? 201 : 200).json(acknowledgement);
      },
    }),
    defineRoute({
      method: "get",
      path: "/controls/:id/exceptions",
      summary: "A control's accepted exceptions, active and past, newest first",
      tag: "Handling",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "Its exceptions", schema: PointExceptionListSchema } },
      async handler({ res, params }) {
        res.json(await listControlExceptions(deps, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/exceptions",
      summary: "Accept a failing point as an exception until a date (the point stays a failure in the record)",
      tag: "Handling",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CreatePointExceptionBodySchema,
      responses: {
        201: { description: "The exception", schema: PointExceptionSchema },
        409: { description: "`point_not_failing`, `exception_active` or `archived`" },
      },
      async handler({ res, actor, params, body }) {
        const exception = await recordPointException(deps, actor, { controlId: params.id, body });
        res.status(201).location(`/api/v1/controls/${params.id}/exceptions`).json(exception);
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/exceptions/:exceptionId/revoke",
      summary: "Revoke an exception (recorded with who, when and why; never deleted)",
      tag: "Handling",
      access: "DEVELOPER",
      params: ControlExceptionParamsSchema,
      body: RevokePointExceptionBodySchema,
      responses: {
        200: { description: "The revoked exception", schema: PointExceptionSchema },
        409: { description: "`exception_revoked`: it was revoked already" },
      },
      async handler({ res, actor, params, body }) {
        res.json(
          await revokePointException(deps, actor, {
            controlId: params.id,
            exceptionId: params.exceptionId,
            reason: body.reason,
          }),
        );
      },
    }),
  ];
}
