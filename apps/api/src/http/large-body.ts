import { hasRole, type Role } from "@status/shared";
import type { RequestHandler } from "express";
import type { Authenticate } from "./route.ts";

/**
 * A body parser with a larger limit, used only for callers who hold `role`. Anyone else's body is left to the general
 * parser and its smaller limit, so an anonymous client cannot make the API read megabytes before being refused. A
 * failed authentication is not answered here: the route authenticates again and answers it.
 */
export function largeBodyFor(authenticate: Authenticate, role: Role, parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    authenticate(req).then(
      (authentication) =>
        authentication && hasRole(authentication.actor.role, role) ? parser(req, res, next) : next(),
      () => next(),
    );
  };
}
