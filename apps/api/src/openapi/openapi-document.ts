import { z } from "zod";
import { ProblemDetailsSchema, PROBLEM_CONTENT_TYPE } from "@status/shared";
import { canonicalJson } from "../domain/canonical-json.ts";
import type { RouteDefinition } from "../http/route.ts";

type JsonSchema = Record<string, unknown>;

/** Schemas shared by several operations, written once under `components.schemas` and referred to by `$ref`. */
type SharedSchemas = Record<string, JsonSchema>;

const LOCAL_DEFS = "#/$defs/";
const COMPONENT_SCHEMAS = "#/components/schemas/";

/**
 * A zod schema as JSON Schema 2020-12 for the document. Schemas with an id (`.meta({ id })`, e.g. the recursive
 * `JsonValue` and `RequirementNode`) come out of zod as `$defs` of the one schema with `#/$defs/…` references, which
 * resolve from the document's root, not the schema's: they move to `components.schemas` and the references follow.
 */
function toJsonSchema(schema: z.ZodType, io: "input" | "output", shared: SharedSchemas): JsonSchema {
  const {
    $schema: _dialect,
    $defs: defs = {},
    ...rest
  } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const names = new Map<string, string>();
  // An id given to a lazy schema (`z.json()`) is an alias of zod's own `__schemaN`: the id names it instead.
  const aliases = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    const target = typeof def.$ref === "string" ? def.$ref.slice(LOCAL_DEFS.length) : undefined;
    if (Object.keys(def).length !== 1 || !target?.startsWith("__schema") || !defs[target]) continue;
    defs[name] = defs[target];
    delete defs[target];
    aliases.set(target, name);
  }
  for (const name of Object.keys(defs)) {
    const open = OPEN_SCHEMAS[name];
    if (open) defs[name] = open;
  }
  // Each entry is named by its id; when the same id came out differently (input and output of a schema with
  // defaults differ), the direction is added to the name.
  for (const name of Object.keys(defs)) names.set(name, name.replace(/^__schema/, "Schema"));
  for (const [target, name] of aliases) names.set(target, names.get(name)!);
  for (const [name, def] of Object.entries(defs)) {
    const base = names.get(name)!;
    const candidates = [base, `${base}${io === "input" ? "Input" : "Output"}`];
    const chosen = candidates.find((candidate) => {
      const existing = shared[candidate];
      const trial = new Map(names).set(name, candidate);
      return !existing || canonicalJson(existing) === canonicalJson(tidy(def, trial));
    });
    if (!chosen) throw new Error(`Two different schemas named ${base} in the OpenAPI document`);
    names.set(name, chosen);
  }
  for (const [target, name] of aliases) names.set(target, names.get(name)!);
  const rewrite = (node: unknown): unknown => tidy(node, names);
  for (const [name, def] of Object.entries(defs)) shared[names.get(name)!] = rewrite(def) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

/**
 * Shared schemas written as open ones: `JsonValue` is any JSON, and its recursive definition (an `anyOf` that
 * refers to itself) is one that type generators turn into a type alias referring to itself, which TypeScript refuses.
 */
const OPEN_SCHEMAS: Record<string, JsonSchema> = {
  JsonValue: { description: "Any JSON value: a string, number, boolean, null, array or object" },
};

/**
 * Rewrites references to components and tidies what generators and linters stumble on: a record over an enum
 * (`required` names with only `additionalProperties` to describe them) gets those names as properties, and an
 * `anyOf` with an empty (any value) member is any value.
 */
function tidy(node: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => tidy(item, names));
  if (typeof node !== "object" || node === null) return node;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] =
      key === "$ref" && typeof value === "string" && value.startsWith(LOCAL_DEFS)
        ? `${COMPONENT_SCHEMAS}${names.get(value.slice(LOCAL_DEFS.length)) ?? value.slice(LOCAL_DEFS.length)}`
        : tidy(value, names);
  }
  const required = result.required;
  const additional = result.additionalProperties;
  if (Array.isArray(required) && typeof additional === "object" && additional !== null) {
    const properties = { ...((result.properties as JsonSchema | undefined) ?? {}) };
    for (const name of required as string[]) properties[name] ??= additional;
    result.properties = properties;
  }
  if (Array.isArray(result.anyOf) && result.anyOf.some(isAnything)) {
    const { anyOf: _anyOf, ...others } = result;
    return others;
  }
  return result;
}

function isAnything(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && Object.keys(schema).length === 0;
}

/** `/catalogs/:id` → `/catalogs/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(route: RouteDefinition, shared: SharedSchemas): JsonSchema[] {
  const result: JsonSchema[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = toJsonSchema(schema, "input", shared);
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

const UNSAFE_METHODS = new Set(["post", "put", "patch", "delete"]);

function problemResponse(description: string): JsonSchema {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${COMPONENT_SCHEMAS}Problem` } } } };
}

/** The problem answers every operation of a kind may give, shared under `components.responses`. */
const SHARED_RESPONSES = {
  BadRequest: problemResponse(
    "`validation_failed` (every issue in `errors[]`, by path such as `body.name` or `query.page`) or `malformed_json`",
  ),
  Unauthenticated: problemResponse("`unauthenticated`, `token_expired` or `token_invalid`: no usable credentials"),
  Forbidden: problemResponse("`forbidden` (the role is too low) or `csrf_failed` (a cookie session's write)"),
  ClientError: problemResponse(
    "A request the API cannot use: `malformed_json` (400) for an unreadable body, `payload_too_large` (413)",
  ),
} as const;

const sharedResponse = (name: keyof typeof SHARED_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

/** The 4xx answers the route table implies: 400 for input, 401 without credentials, 403 for roles and CSRF. */
function impliedProblems(route: RouteDefinition): Record<string, JsonSchema> {
  const implied: Record<string, JsonSchema> = {};
  if (route.params || route.query || route.body || route.rawBody) implied["400"] = sharedResponse("BadRequest");
  if (route.access !== "public") {
    implied["401"] = sharedResponse("Unauthenticated");
    if (route.access !== "USER" || UNSAFE_METHODS.has(route.method)) implied["403"] = sharedResponse("Forbidden");
  }
  if (Object.keys(implied).length === 0 && !Object.keys(route.responses).some((status) => status.startsWith("4")))
    implied["4XX"] = sharedResponse("ClientError");
  return implied;
}

function operation(route: RouteDefinition, shared: SharedSchemas): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isProblem = Number(status) >= 400;
    const schema = spec.schema
      ? toJsonSchema(spec.schema, "output", shared)
      : isProblem
        ? { $ref: `${COMPONENT_SCHEMAS}Problem` }
        : undefined;
    responses[status] = {
      description: spec.description,
      ...(schema
        ? { content: { [spec.contentType ?? (isProblem ? PROBLEM_CONTENT_TYPE : "application/json")]: { schema } } }
        : {}),
    };
  }
  for (const [status, response] of Object.entries(impliedProblems(route))) responses[status] ??= response;
  responses.default = problemResponse("Error (RFC 9457 problem details)");
  return {
    tags: [route.tag],
    summary: route.summary,
    description: `Access: ${ROLE_NOTE[route.access]}`,
    operationId: `${route.method}${openApiPath(route.path)
      .replace(/[{}]/g, "")
      .replace(/\/([a-z])/g, (_match, letter: string) => letter.toUpperCase())
      .replace(/[^A-Za-z0-9]/g, "")}`,
    ...(route.access === "public" ? { security: [] } : {}),
    parameters: parameters(route, shared),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: toJsonSchema(route.body, "input", shared) } },
          },
        }
      : route.rawBody
        ? {
            requestBody: {
              required: true,
              description: route.rawBody.description,
              content: Object.fromEntries(
                route.rawBody.contentTypes.map((type) => [type, { schema: { type: "string" } }]),
              ),
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
  const shared: SharedSchemas = {};
  shared.Problem = toJsonSchema(ProblemDetailsSchema, "output", shared);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(route, shared);
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
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
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
      responses: SHARED_RESPONSES,
      schemas: shared,
    },
    paths,
  };
}
