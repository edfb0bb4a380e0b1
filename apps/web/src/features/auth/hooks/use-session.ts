import type { Me } from "@status/shared";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getMeQueryOptions } from "../api/get-me.ts";

/**
 * The signed-in user, for pages under the protected layout, whose loader has already loaded the session.
 *
 * It never fetches a missing session: when logging out clears the cache, the protected pages are still mounted
 * for a moment while the router moves to /login, and they keep showing the last user instead of asking the API
 * for /auth/me as a signed-out visitor.
 */
export function useSession(): { user: Me } {
  const { data } = useQuery({ ...getMeQueryOptions(), enabled: (query) => query.state.data !== undefined });
  const [lastUser, setLastUser] = useState(data);
  if (data && data !== lastUser) setLastUser(data);
  const user = data ?? lastUser;
  if (!user) throw new Error("useSession() was called outside the protected layout");
  return { user };
}
