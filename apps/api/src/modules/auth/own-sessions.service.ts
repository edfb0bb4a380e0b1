import type { UserSessionList } from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import { NotFoundError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import { recordAudit } from "../audit/index.ts";
import { endSessionOfUser, listUserSessions } from "../sessions/index.ts";

/** The acting user's open sessions (device, address, last use), the one they are using marked. */
export async function listOwnSessions(deps: AppDeps, actor: Actor): Promise<UserSessionList> {
  return { items: await listUserSessions(deps, { userId: actor.userId, currentSessionId: actor.sessionId }) };
}

/**
 * Ends one of the acting user's sessions (audited); its access tokens stop working at once. Answers whether it was the
 * session of this request, whose cookies the route then clears. Someone else's session is "not found".
 */
export async function revokeOwnSession(
  deps: AppDeps,
  actor: Actor,
  sessionId: string,
): Promise<{ isCurrent: boolean }> {
  const isEnded = await endSessionOfUser(deps, { sessionId, userId: actor.userId, reason: "revoked_by_user" });
  if (!isEnded) throw new NotFoundError("open session", sessionId);
  await recordAudit(deps.db, actor, { action: "revoke", resourceType: "session", resourceId: sessionId });
  return { isCurrent: sessionId === actor.sessionId };
}
