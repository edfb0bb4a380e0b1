import {
  AddWatcherBodySchema,
  ControlSchema,
  ControlWatcherParamsSchema,
  IdParamsSchema,
  MyControlListSchema,
  PersonListQuerySchema,
  PersonListSchema,
  SetOwnerBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import {
  addControlWatcher,
  clearControlOwner,
  findPeople,
  listMyControls,
  removeControlWatcher,
  setControlOwner,
} from "./ownership.service.ts";

export function ownershipRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/people",
      summary: "Enabled users to pick as a control's owner, a watcher or an exception's approver",
      tag: "Handling",
      access: "USER",
      query: PersonListQuerySchema,
      responses: { 200: { description: "At most 50 users, by username", schema: PersonListSchema } },
      async handler({ res, query }) {
        res.json(await findPeople(deps, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/me/controls",
      summary: "My controls: the controls the signed-in user owns or watches, with their state now",
      tag: "Handling",
      access: "USER",
      responses: { 200: { description: "By catalog and control name", schema: MyControlListSchema } },
      async handler({ res, actor }) {
        res.json(await listMyControls(deps, actor));
      },
    }),
    defineRoute({
      method: "put",
      path: "/controls/:id/owner",
      summary: "Make a user the control's owner",
      tag: "Handling",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: SetOwnerBodySchema,
      responses: {
        200: { description: "The control with its owner", schema: ControlSchema },
        409: { description: "`archived`: the control or its catalog is archived" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await setControlOwner(deps, actor, { controlId: params.id, userId: body.userId }));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id/owner",
      summary: "Leave the control without an owner",
      tag: "Handling",
      access: "DEVELOPER",
      params: IdParamsSchema,
      responses: { 204: { description: "It has no owner" } },
      async handler({ res, actor, params }) {
        await clearControlOwner(deps, actor, params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/watchers",
      summary: "Watch a control (yourself: any role; someone else: DEVELOPER and above)",
      tag: "Handling",
      access: "USER",
      params: IdParamsSchema,
      body: AddWatcherBodySchema,
      responses: {
        200: { description: "The control with its watchers", schema: ControlSchema },
        403: { description: "A USER adding someone else" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await addControlWatcher(deps, actor, { controlId: params.id, userId: body.userId }));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/controls/:id/watchers/:userId",
      summary: "Stop watching a control (yourself: any role; someone else: DEVELOPER and above)",
      tag: "Handling",
      access: "USER",
      params: ControlWatcherParamsSchema,
      responses: { 204: { description: "Not watching" }, 403: { description: "A USER removing someone else" } },
      async handler({ res, actor, params }) {
        await removeControlWatcher(deps, actor, { controlId: params.id, userId: params.userId });
        res.status(204).end();
      },
    }),
  ];
}
