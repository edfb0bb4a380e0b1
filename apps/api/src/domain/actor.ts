import type { ApiTokenLimits, ApiTokenScope, Role } from "@status/shared";

/** Who is acting: the authenticated user, how they authenticated, and the request for the audit trail. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  authMethod: "session" | "api_token";
  /** The session (refresh-token family) of a signed-in user. */
  sessionId?: string;
  /** The personal API token used, when authenticated with one. */
  tokenId?: string;
  /** The scopes of the personal API token used; undefined means the user's full access (sessions, unscoped tokens). */
  tokenScopes?: readonly ApiTokenScope[];
  /** The resource limits of the personal API token used, when it has any. */
  tokenLimits?: ApiTokenLimits;
  requestId?: string;
  /**
   * The session's user must change their password (an administrator's reset) before any route but the change, their
   * own account and sign-out answers.
   */
  mustChangePassword?: boolean;
}
