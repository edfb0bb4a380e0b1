import { z } from "zod";
import { ProblemDetailsSchema, PROBLEM_CONTENT_TYPE } from "@status/shared";
import type { RouteDefinition } from "../http/route.ts";

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  return rest;
}

/** `/catalogs/:id` → `/catalogs/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(route: RouteDefinition): JsonSchema[] {
  const result: JsonSchema[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = toJsonSchema(schema, "input");
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      result.push({
        name,
        in: location,
        required: location === "path" || (required.has(name) && !("default" in property)),
        schema: property,
      });
    }
  }
  return result;
}

const ROLE_NOTE: Record<RouteDefinition["access"], string> = {
  public: "No authentication.",
  USER: "Any signed-in role (USER, DEVELOPER, ADMIN).",
  DEVELOPER: "DEVELOPER or ADMIN.",
  ADMIN: "ADMIN only.",
};

function operation(route: RouteDefinition): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isProblem = Number(status) >= 400;
    const schema = spec.schema
      ? toJsonSchema(spec.schema, "output")
      : isProblem
        ? { $ref: "#/components/schemas/Problem" }
        : undefined;
    responses[status] = {
      description: spec.description,
      ...(schema
        ? { content: { [spec.contentType ?? (isProblem ? PROBLEM_CONTENT_TYPE : "application/json")]: { schema } } }
        : {}),
    };
  }
  responses.default = {
    description: "Error (RFC 9457 problem details)",
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } },
  };
  return {
    tags: [route.tag],
    summary: route.summary,
    description: `Access: ${ROLE_NOTE[route.access]}`,
    operationId: `${route.method}${openApiPath(route.path)
      .replace(/[{}]/g, "")
      .replace(/\/([a-z])/g, (_match, letter: string) => letter.toUpperCase())
      .replace(/[^A-Za-z0-9]/g, "")}`,
    ...(route.access === "public" ? { security: [] } : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: toJsonSchema(route.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document, generated from the route table and its shared zod schemas. */
export function buildOpenApiDocument(
  routes: readonly RouteDefinition[],
  info: { version: string; serverUrl: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "STATUS API",
      version: info.version,
      description:
        "Continuous compliance monitoring. Errors are RFC 9457 problem details with a stable `code`. Any operation " +
        "may answer 503 with `Retry-After` when a dependency is down (`database_unavailable`, `cache_unavailable`) " +
        "or the instance is at its concurrency limit (`overloaded`): retry after the given seconds.",
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }, { accessTokenHeader: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An access token from /auth/login or a personal API token (stt_…)",
        },
        accessTokenHeader: { type: "apiKey", in: "header", name: "x-access-token" },
        cookie: {
          type: "apiKey",
          in: "cookie",
          name: "status_at",
          description: "SPA session; unsafe requests also need x-csrf-token",
        },
      },
      schemas: { Problem: toJsonSchema(ProblemDetailsSchema, "output") },
    },
    paths,
  };
}
