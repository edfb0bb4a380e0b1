import {
  CreateEvidencePackBodySchema,
  EvidencePackListSchema,
  EvidencePackSchema,
  IdParamsSchema,
  PackPublicKeySchema,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { streamEvents } from "../../http/server-sent-events.ts";
import {
  getEvidencePack,
  getPackPublicKey,
  isPackSettled,
  listEvidencePacks,
  openEvidencePackDownload,
  requestEvidencePack,
} from "./evidence-packs.service.ts";

/** How often a pack's event stream reads the row: a worker in another process builds it. */
const PACK_EVENT_POLL_MS = 500;

export function evidencePackRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "post",
      path: "/catalogs/:id/evidence-packs",
      summary: "Start building a signed evidence pack of the catalog's period (a worker builds it)",
      tag: "Auditors",
      access: "DEVELOPER",
      params: IdParamsSchema,
      body: CreateEvidencePackBodySchema,
      responses: {
        202: { description: "Queued", schema: EvidencePackSchema },
        404: { description: "No such catalog" },
      },
      async handler({ res, actor, params, body }) {
        const pack = await requestEvidencePack(deps, actor, { catalogId: params.id, period: body });
        res.status(202).location(`/api/v1/evidence-packs/${pack.id}`).json(pack);
      },
    }),
    defineRoute({
      method: "get",
      path: "/catalogs/:id/evidence-packs",
      summary: "The catalog's evidence packs, newest first, with their digests",
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The packs", schema: EvidencePackListSchema } },
      async handler({ res, params }) {
        res.json({ items: await listEvidencePacks(deps, params.id) });
      },
    }),
    defineRoute({
      method: "get",
      path: "/evidence-packs/public-key",
      summary: "The Ed25519 public key evidence packs are signed with (for `npm run verify-pack -- --public-key`)",
      tag: "Auditors",
      access: "USER",
      responses: { 200: { description: "The key", schema: PackPublicKeySchema } },
      async handler({ res }) {
        res.json(await getPackPublicKey(deps));
      },
    }),
    defineRoute({
      method: "get",
      path: "/evidence-packs/:id",
      summary: "An evidence pack: its progress while a worker builds it, then its size and digests",
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      responses: { 200: { description: "The pack", schema: EvidencePackSchema }, 404: { description: "No such pack" } },
      async handler({ res, params }) {
        res.json(await getEvidencePack(deps, params.id));
      },
    }),
    defineRoute({
      method: "get",
      path: "/evidence-packs/:id/events",
      summary:
        "Server-Sent Events: the pack as it is built (event: pack, data as GET /evidence-packs/:id), until done or failed",
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "text/event-stream of packs", contentType: "text/event-stream" },
        404: { description: "No such pack" },
      },
      async handler({ req, res, params }) {
        await getEvidencePack(deps, params.id);
        await streamEvents(req, res, {
          read: () => getEvidencePack(deps, params.id),
          toEvent: (pack) => ({ event: "pack", data: pack }),
          isFinal: isPackSettled,
          pollMs: PACK_EVENT_POLL_MS,
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/evidence-packs/:id/download",
      summary: "Download a finished evidence pack (a ZIP, streamed from disk)",
      tag: "Auditors",
      access: "USER",
      params: IdParamsSchema,
      responses: {
        200: { description: "application/zip" },
        404: { description: "No such pack" },
        409: { description: "`evidence_pack_not_ready`: still building, or failed" },
      },
      async handler({ res, params }) {
        const download = await openEvidencePackDownload(deps, params.id);
        res.setHeader("content-type", "application/zip");
        res.setHeader("content-length", String(download.sizeBytes));
        res.setHeader("content-disposition", `attachment; filename="${download.fileName}"`);
        await new Promise<void>((resolve, reject) => {
          download.stream.on("error", reject);
          res.on("finish", () => resolve());
          download.stream.pipe(res);
        });
      },
    }),
  ];
}
