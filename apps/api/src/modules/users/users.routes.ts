import {
  CreateUserBodySchema,
  EndedSessionsSchema,
  IdParamsSchema,
  PasswordResetSchema,
  ResetPasswordBodySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { resetUserPassword } from "./password-reset.service.ts";
import { createUser, deleteUser, endUserSessions, getUser, listAllUsers, updateUserById } from "./users.service.ts";

export function userRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/users",
      summary: "List users",
      tag: "Users",
      access: "ADMIN",
      query: UserListQuerySchema,
      responses: { 200: { description: "A page of users", schema: UserPageSchema } },
      async handler({ res, query }) {
        res.json(await listAllUsers(deps, query));
      },
    }),
    defineRoute({
      method: "post",
      path: "/users",
      summary: "Create a user",
      tag: "Users",
      access: "ADMIN",
      body: CreateUserBodySchema,
      responses: {
        201: { description: "The user", schema: UserSchema },
        409: { description: "Username or e-mail taken" },
      },
      async handler({ res, actor, body }) {
        const user = await createUser(deps, actor, body);
        res.status(201).location(`/api/v1/users/${user.id}`).json(user);
      },
    }),
    defineRoute({
      method: "get",
      path: "/users/:id",
      summary: "Get a user",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      responses: { 200: { description: "The user", schema: UserSchema } },
      async handler({ res, params }) {
        res.json(await getUser(deps, params.id));
      },
    }),
    defineRoute({
      method: "patch",
      path: "/users/:id",
      summary: "Update a user (role, e-mail, name, disabled, password)",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      body: UpdateUserBodySchema,
      responses: {
        200: { description: "The user", schema: UserSchema },
        409: { description: "Would leave no administrator" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await updateUserById(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/users/:id",
      summary: "Delete a user",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      responses: { 204: { description: "Deleted" }, 409: { description: "Would leave no administrator" } },
      async handler({ res, actor, params }) {
        await deleteUser(deps, actor, params.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "delete",
      path: "/users/:id/sessions",
      summary: "End every session of a user (they must sign in again; API tokens are not affected)",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      responses: { 200: { description: "How many sessions were open", schema: EndedSessionsSchema } },
      async handler({ res, actor, params }) {
        res.json(await endUserSessions(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/users/:id/password",
      summary:
        "Reset another user's password (a set one, or a generated temporary one answered once); their sessions end and they must change it at their next sign-in",
      tag: "Users",
      access: "ADMIN",
      params: IdParamsSchema,
      body: ResetPasswordBodySchema,
      responses: {
        200: {
          description: "The temporary password (null when set) and how many sessions ended",
          schema: PasswordResetSchema,
        },
        404: { description: "No such user" },
        409: { description: "Your own password: change it on your profile" },
      },
      async handler({ res, actor, params, body }) {
        res.set("Cache-Control", "no-store").json(await resetUserPassword(deps, actor, params.id, body));
      },
    }),
  ];
}
