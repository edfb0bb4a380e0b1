import {
  MashupEditorQuerySchema,
  MashupEvidenceSchema,
  MashupIdParamsSchema,
  MashupLimitsSchema,
  MashupListQuerySchema,
  MashupPageSchema,
  SetMashupLimitsBodySchema,
  MashupSchema,
  MashupTestResultSchema,
  TestMashupBodySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { setEditorPassCookie } from "../auth/index.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { getMashupLimits, setMashupLimits } from "./mashup-limits.service.ts";
import { testMashup } from "./mashup-test.service.ts";
import { editorUrl, getMashup, getMashupEvidence, listMashups } from "./mashups.service.ts";

export function mashupRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/mashups",
      summary: "List mashups: the Node-RED flows STATUS can invoke, with their declared inputs",
      tag: "Mashups",
      access: "USER",
      query: MashupListQuerySchema,
      responses: {
        200: { description: "A page of mashups", schema: MashupPageSchema },
        503: { description: "Node-RED is unreachable" },
      },
      async handler({ res, query }) {
        res.json(await listMashups(deps, query));
      },
    }),
    // Declared before /mashups/:id, which would otherwise take "editor" for an id.
    defineRoute({
      method: "get",
      path: "/mashups/editor",
      summary: "Open the Node-RED editor at /node-red/ (on one flow with `flow`)",
      tag: "Mashups",
      access: "DEVELOPER",
      query: MashupEditorQuerySchema,
      responses: {
        302: {
          description:
            "Redirect to the editor, carrying a Node-RED token of the service account; sets the editor pass cookie",
        },
        503: { description: "Node-RED is unreachable" },
      },
      async handler({ res, actor, query }) {
        const location = await editorUrl(deps, query.flow);
        setEditorPassCookie(res, deps.config, deps.keys, actor, Math.floor(deps.now().getTime() / 1000));
        res.set("Referrer-Policy", "no-referrer").redirect(302, location);
      },
    }),
    defineRoute({
      method: "get",
      path: "/mashups/:id",
      summary: "Get a mashup by id (its flow tab's id)",
      tag: "Mashups",
      access: "USER",
      params: MashupIdParamsSchema,
      responses: {
        200: { description: "The mashup", schema: MashupSchema },
        404: { description: "No such flow" },
        503: { description: "Node-RED is unreachable" },
      },
      async handler({ res, params }) {
        res.json(await getMashup(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/mashups/:id/evidence",
      summary: "A mashup's evidence declaration: per evidence key, a label, a unit and the rule that decides it",
      tag: "Mashups",
      access: "USER",
      params: MashupIdParamsSchema,
      responses: {
        200: { description: "The declaration (empty when the flow declares none)", schema: MashupEvidenceSchema },
        404: { description: "No such flow" },
        422: { description: "`evidence_declaration_invalid`: every issue of its STATUS_EVIDENCE variable by path" },
        503: { description: "Node-RED is unreachable" },
      },
      async handler({ res, params }) {
        res.json(await getMashupEvidence(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/mashups/:id/limits",
      summary: "A mashup's limits on the engine's calls: calls in flight and calls per second, across every worker",
      tag: "Mashups",
      access: "USER",
      params: MashupIdParamsSchema,
      responses: { 200: { description: "The limits (nulls: none)", schema: MashupLimitsSchema } },
      async handler({ res, params }) {
        res.json(await getMashupLimits(deps, params.id));
      },
    }),
    defineRoute({
      method: "put",
      path: "/mashups/:id/limits",
      summary: "Set a mashup's limits (null: no limit); workers apply them within a few seconds",
      tag: "Mashups",
      access: "DEVELOPER",
      params: MashupIdParamsSchema,
      body: SetMashupLimitsBodySchema,
      responses: {
        200: { description: "The limits as stored", schema: MashupLimitsSchema },
        404: { description: "No such flow" },
        503: { description: "Node-RED is unreachable" },
      },
      async handler({ res, actor, params, body }) {
        res.json(await setMashupLimits(deps, actor, params.id, body));
      },
    }),
    defineRoute({
      method: "post",
      path: "/mashups/:id/test",
      summary:
        "Call a mashup once with params, scope and window, without storing anything; answers its raw status, body and duration",
      tag: "Mashups",
      access: "DEVELOPER",
      params: MashupIdParamsSchema,
      body: TestMashupBodySchema,
      responses: {
        200: {
          description: "What the flow answered (any HTTP status of the flow's own)",
          schema: MashupTestResultSchema,
        },
        404: { description: "No such flow" },
        503: { description: "Node-RED is unreachable" },
        504: { description: "The flow did not answer in time" },
      },
      async handler({ res, params, body }) {
        res.json(await testMashup(deps, params.id, body));
      },
    }),
  ];
}
