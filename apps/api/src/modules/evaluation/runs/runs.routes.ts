import {
  BackfillBodySchema,
  CreatedRunsSchema,
  CreateRunsBodySchema,
  IdParamsSchema,
  RunBatchSchema,
  RunListQuerySchema,
  RunPageSchema,
  RunSchema,
} from "@status/shared";
import type { AppDeps } from "../../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../../http/route.ts";
import { streamEvents } from "../../../http/server-sent-events.ts";
import {
  cancelRun,
  getRun,
  getRunBatch,
  isRunFinished,
  listAllRuns,
  runCatalog,
  runControl,
  runProgress,
} from "./runs.service.ts";

const EVENT_POLL_MS = 500;

export function runRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "post",
      path: "/controls/:id/runs",
      tokenScope: "runs:write",
      summary:
        "Run a control now: the latest closed window, or every window overlapping {from, to}, for each scope set",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      body: CreateRunsBodySchema,
      responses: {
        202: { description: "Runs queued", schema: CreatedRunsSchema },
        409: { description: "The control has no mashup" },
      },
      async handler({ res, actor, params, body }) {
        const created = await runControl(deps, actor, params.id, body);
        res.status(202).location(`/api/v1/run-batches/${created.batch.id}`).json(created);
      },
    }),
    defineRoute({
      method: "post",
      path: "/controls/:id/backfill",
      tokenScope: "runs:write",
      summary: "Compute a past range of a control: every window overlapping {from, to}",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      body: BackfillBodySchema,
      responses: { 202: { description: "Runs queued", schema: CreatedRunsSchema } },
      async handler({ res, actor, params, body }) {
        const created = await runControl(deps, actor, params.id, body, "backfill");
        res.status(202).location(`/api/v1/run-batches/${created.batch.id}`).json(created);
      },
    }),
    defineRoute({
      method: "post",
      path: "/catalogs/:id/runs",
      tokenScope: "runs:write",
      summary: "Run every control of a catalog that has a mashup",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      body: CreateRunsBodySchema,
      responses: { 202: { description: "Runs queued", schema: CreatedRunsSchema } },
      async handler({ res, actor, params, body }) {
        const created = await runCatalog(deps, actor, params.id, body);
        res.status(202).location(`/api/v1/run-batches/${created.batch.id}`).json(created);
      },
    }),
    defineRoute({
      method: "get",
      path: "/runs",
      summary: "List runs",
      tag: "Runs",
      access: "USER",
      query: RunListQuerySchema,
      responses: { 200: { description: "A page of runs", schema: RunPageSchema } },
      async handler({ res, query }) {
        res.json(await listAllRuns(deps, query));
      },
    }),
    defineRoute({
      method: "get",
      path: "/runs/:id",
      summary: "Get a run",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The run", schema: RunSchema } },
      async handler({ res, params }) {
        res.json(await getRun(deps, params.id));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/runs/:id",
      summary: "Cancel a queued or running run (yours; anyone's for DEVELOPER)",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "The cancelled run", schema: RunSchema },
        409: { description: "Already finished" },
      },
      async handler({ res, actor, params }) {
        res.json(await cancelRun(deps, actor, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/runs/:id/events",
      summary: "Server-Sent Events: the run's state as it changes (event: run), until it finishes",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "text/event-stream of {run, progress}", contentType: "text/event-stream" } },
      async handler({ req, res, params }) {
        await getRun(deps, params.id);
        await streamEvents(req, res, {
          read: () => getRun(deps, params.id),
          toEvent: (run) => ({ event: "run", data: { run, progress: runProgress(run) } }),
          isFinal: (run) => isRunFinished(run.status),
          pollMs: EVENT_POLL_MS,
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/run-batches/:id",
      summary: "Progress of a batch of runs",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The batch with counts per status", schema: RunBatchSchema } },
      async handler({ res, params }) {
        res.json(await getRunBatch(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/run-batches/:id/events",
      summary: "Server-Sent Events: the batch's progress (event: batch), until every run finished",
      tag: "Runs",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "text/event-stream of batches", contentType: "text/event-stream" } },
      async handler({ req, res, params }) {
        await getRunBatch(deps, params.id);
        await streamEvents(req, res, {
          read: () => getRunBatch(deps, params.id),
          toEvent: (batch) => ({ event: "batch", data: batch }),
          isFinal: (batch) => batch.isDone,
          pollMs: EVENT_POLL_MS,
        });
      },
    }),
  ];
}
