import type { UserSession } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useSessions } from "../api/get-sessions.ts";
import { RevokeSessionDialog } from "./revoke-session-dialog.tsx";
import { sessionMethod, sessionName } from "./session-name.ts";

/** The profile page's sessions section: where the user is signed in, with a way to end each session. */
export function SessionsSection({ onSignedOut }: { onSignedOut: () => void }) {
  const sessionsQuery = useSessions();
  return (
    <section aria-labelledby="sessions-heading" className="space-y-3">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Sessions
      </h2>
      <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
        Where you are signed in. Sign out a device you do not recognise; personal API tokens are not affected.
      </p>
      {sessionsQuery.isPending && <Spinner label="Loading sessions" />}
      {sessionsQuery.isError && (
        <LoadError
          title="The sessions could not be loaded"
          error={sessionsQuery.error}
          onRetry={() => void sessionsQuery.refetch()}
        />
      )}
      {sessionsQuery.data &&
        (sessionsQuery.data.items.length === 0 ? (
          <EmptyState title="No open sessions">
            <p>You are using a personal API token, which is not a session.</p>
          </EmptyState>
        ) : (
          <SessionsTable sessions={sessionsQuery.data.items} onSignedOut={onSignedOut} />
        ))}
    </section>
  );
}

function SessionsTable({ sessions, onSignedOut }: { sessions: UserSession[]; onSignedOut: () => void }) {
  return (
    <Table>
      <TableHead>
        <tr>
          <TableHeaderCell>Device</TableHeaderCell>
          <TableHeaderCell>Address</TableHeaderCell>
          <TableHeaderCell>Signed in</TableHeaderCell>
          <TableHeaderCell>Last used</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {sessions.map((session) => (
          <TableRow key={session.id}>
            <TableCell>
              <span className="font-medium">{sessionName(session)}</span>{" "}
              {session.isCurrent && <Badge tone="success">This session</Badge>}
              <span className="block text-xs text-zinc-500">
                {sessionMethod(session)}
                {session.secondFactorVerified ? " + second factor" : ""}
              </span>
            </TableCell>
            <TableCell className="font-mono text-xs">{session.ipAddress ?? "Unknown"}</TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(session.createdAt)}</TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(session.lastUsedAt)}</TableCell>
            <TableCell className="text-right">
              <RevokeSessionDialog session={session} onSignedOut={onSignedOut} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
