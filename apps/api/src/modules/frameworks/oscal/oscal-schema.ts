import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";
import type { ImportProblem } from "@status/shared";

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "schemas");

export type OscalModel = "catalog" | "profile" | "mapping" | "assessment-results" | "poam";

/** At most this many schema errors are reported: a wholly wrong document would otherwise answer megabytes. */
export const MAX_SCHEMA_PROBLEMS = 200;

const validators = new Map<OscalModel, ValidateFunction>();

// ajv-formats is CommonJS: under ESM its plugin function is the module's `default` (itself or wrapped once more).
type FormatsPlugin = (ajv: Ajv) => Ajv;
const formatsModule = ajvFormats as unknown as { default: FormatsPlugin | { default: FormatsPlugin } };
const addFormats: FormatsPlugin =
  typeof formatsModule.default === "function" ? formatsModule.default : formatsModule.default.default;

/**
 * The official OSCAL 1.2.1 schema of a model, compiled once. Its patterns use `\p{L}`/`\p{N}`, which only match with
 * Unicode regular expressions (`unicodeRegExp`); without them valid documents are rejected.
 */
function validatorFor(model: OscalModel): ValidateFunction {
  const cached = validators.get(model);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, `oscal_${model}_schema.json`), "utf8")) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true, validateSchema: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(model, validate);
  return validate;
}

/** Validates a document against the model's schema; every error (up to the cap) as a problem with its JSON path. */
export function validateOscal(model: OscalModel, document: unknown): ImportProblem[] {
  const validate = validatorFor(model);
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, MAX_SCHEMA_PROBLEMS).map(schemaProblem);
}

function schemaProblem(error: ErrorObject): ImportProblem {
  const missing = error.keyword === "required" ? (error.params as { missingProperty: string }).missingProperty : null;
  const base = jsonPath(error.instancePath);
  const where = missing ? `${base}${pathSegment(missing)}` : base;
  return {
    severity: "error",
    code: "schema",
    message: missing ? `Required property ${missing} is missing` : describe(error),
    path: where,
    row: null,
    column: null,
  };
}

function describe(error: ErrorObject): string {
  if (error.keyword === "additionalProperties")
    return `Property ${(error.params as { additionalProperty: string }).additionalProperty} is not allowed`;
  if (error.keyword === "enum")
    return `Must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return error.message ?? error.keyword;
}

/** Turns ajv's JSON Pointer (`/catalog/controls/0/id`) into a JSON path (`$.catalog.controls[0].id`). */
export function jsonPath(pointer: string): string {
  if (pointer === "") return "$";
  const segments = pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
  return `$${segments.map(pathSegment).join("")}`;
}

function pathSegment(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return `.${segment}`;
  return `[${JSON.stringify(segment)}]`;
}

const SUPPORTED_VERSION = /^1\.[0-2]\.\d+$/;

/**
 * Documents written as OSCAL 1.0.x to 1.2.x read the same under the 1.2.1 schema for what STATUS imports; others
 * (0.x drafts, a future 2.0) may not, so they are refused rather than half understood.
 */
export function isSupportedOscalVersion(version: string): boolean {
  return SUPPORTED_VERSION.test(version);
}
