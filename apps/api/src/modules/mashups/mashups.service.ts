import type { Mashup, MashupEvidence, MashupListQuery, Page } from "@status/shared";
import { cacheKeys } from "../../cache/keys.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError, NotFoundError, ServiceUnavailableError } from "../../errors.ts";
import { EDITOR_PATH } from "../../node-red/editor-path.ts";
import { mashupsFromFlows } from "./flow-tabs.ts";
import { MashupUnreachableError, type FlowNode } from "../../node-red/node-red-client.ts";

type MashupDeps = Pick<AppDeps, "cache" | "nodeRed">;

/** Node-RED is asked again after this long, so flows deployed in the editor show up within seconds. */
export const MASHUP_LIST_TTL_SECONDS = 15;

/** Every mashup Node-RED serves, from the cache when it was read less than 15 s ago (unless `isFresh`). */
async function allMashups(deps: MashupDeps, isFresh = false): Promise<{ mashups: Mashup[]; isCached: boolean }> {
  // The list is a speed-up only: with the cache down, Node-RED is asked every time.
  const cached = isFresh ? null : await deps.cache.get(cacheKeys.mashups()).catch(() => null);
  if (cached) return { mashups: JSON.parse(cached) as Mashup[], isCached: true };
  let flows;
  try {
    flows = await deps.nodeRed.listFlows();
  } catch (error) {
    if (error instanceof MashupUnreachableError)
      throw new ServiceUnavailableError("service_unavailable", `Node-RED cannot list the mashups: ${error.message}`);
    throw error;
  }
  const mashups = mashupsFromFlows(flows);
  await deps.cache.set(cacheKeys.mashups(), JSON.stringify(mashups), MASHUP_LIST_TTL_SECONDS).catch(() => undefined);
  return { mashups, isCached: false };
}

/** A page of mashups (flow tabs with an http-in node), sorted by name. Node-RED down: 503 `service_unavailable`. */
export async function listMashups(
  deps: MashupDeps,
  query: MashupListQuery = { page: 1, pageSize: 200 },
): Promise<Page<Mashup>> {
  const { mashups } = await allMashups(deps);
  const start = (query.page - 1) * query.pageSize;
  return {
    items: mashups.slice(start, start + query.pageSize),
    total: mashups.length,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * One mashup by id (its flow tab's id), with the http-in URL the engine invokes; NotFoundError when absent.
 * `isFresh` asks Node-RED rather than the cached list.
 */
export async function getMashup(deps: MashupDeps, id: string, options: { isFresh?: boolean } = {}): Promise<Mashup> {
  const listed = await allMashups(deps, options.isFresh);
  // A flow deployed a moment ago is not in the cached list yet: ask Node-RED before saying it does not exist.
  const mashups =
    listed.isCached && !listed.mashups.some((candidate) => candidate.id === id)
      ? (await allMashups(deps, true)).mashups
      : listed.mashups;
  const mashup = mashups.find((candidate) => candidate.id === id);
  if (!mashup) throw new NotFoundError("mashup", id);
  return mashup;
}

/**
 * A mashup's evidence declaration (labels, units, rules) with the inputs its rules name. A declaration that does not
 * validate answers 422 `evidence_declaration_invalid`, listing every issue by its path in the variable.
 */
export async function getMashupEvidence(deps: MashupDeps, id: string): Promise<MashupEvidence> {
  const mashup = await getMashup(deps, id);
  if (mashup.evidenceIssues.length > 0) {
    const count = mashup.evidenceIssues.length;
    throw new AppError(
      422,
      "evidence_declaration_invalid",
      "The mashup's evidence declaration is invalid",
      `${count} ${count === 1 ? "problem" : "problems"} in the STATUS_EVIDENCE variable of flow ${id}`,
      mashup.evidenceIssues,
    );
  }
  return { mashupId: mashup.id, inputs: mashup.inputs, evidence: mashup.evidence };
}

/** A flow tab and its nodes as Node-RED's admin API holds them (for reading a flow, e.g. to explain it). */
export async function getMashupFlow(deps: MashupDeps, id: string): Promise<{ tab: FlowNode; nodes: FlowNode[] }> {
  let flows: FlowNode[];
  try {
    flows = await deps.nodeRed.listFlows();
  } catch (error) {
    if (error instanceof MashupUnreachableError)
      throw new ServiceUnavailableError("service_unavailable", `Node-RED cannot be read: ${error.message}`);
    throw error;
  }
  const tab = flows.find((node) => node.id === id && node.type === "tab");
  if (!tab) throw new NotFoundError("mashup", id);
  return { tab, nodes: flows.filter((node) => node.z === id) };
}

// Node-RED's tokens are base64; the editor reads `access_token` from the query without decoding it.
const NODE_RED_TOKEN = /^[A-Za-z0-9+/=]*$/;

/**
 * The editor URL to send a developer to: Node-RED's editor takes `?access_token=` (RED.settings.init stores it and
 * reloads without it) and then calls the admin API with that bearer token, through the API's proxy. The token is a
 * new session of the service account, usable only through the proxy (Node-RED listens on loopback), which checks
 * the STATUS session on every request.
 */
export async function editorUrl(deps: Pick<AppDeps, "nodeRed">, flowId: string | undefined): Promise<string> {
  let token: string;
  try {
    token = await deps.nodeRed.adminToken();
  } catch (error) {
    if (error instanceof MashupUnreachableError)
      throw new ServiceUnavailableError("service_unavailable", `Node-RED cannot open the editor: ${error.message}`);
    throw error;
  }
  if (!NODE_RED_TOKEN.test(token)) throw new Error("Node-RED issued a token the editor cannot read from its URL");
  const query = token ? `?access_token=${token}` : "";
  const hash = flowId ? `#flow/${encodeURIComponent(flowId)}` : "";
  return `${EDITOR_PATH}/${query}${hash}`;
}
