import { ApiTokenListQuerySchema, type ApiToken } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useTokens } from "../api/get-tokens.ts";
import { RevokeTokenDialog } from "./revoke-token-dialog.tsx";

/** The signed-in user's tokens, newest first; the revoked ones on request. */
export function TokensList() {
  const { query, update } = useListParams(ApiTokenListQuerySchema);
  const tokensQuery = useTokens(query);

  return (
    <section aria-label="API tokens">
      <label className="mb-4 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="size-4"
          checked={query.includeRevoked}
          onChange={(event) => update({ includeRevoked: event.target.checked })}
        />
        Show revoked tokens
      </label>
      <PagedList
        query={tokensQuery}
        loadingLabel="Loading tokens"
        errorTitle="The tokens could not be loaded"
        empty={{
          title: "No API tokens",
          body: <p>Create a token for a script or integration that calls the STATUS API as you.</p>,
        }}
        onPageChange={(page) => update({ page })}
      >
        {(tokens, isUpdating) => <TokensTable tokens={tokens} isUpdating={isUpdating} />}
      </PagedList>
    </section>
  );
}

function TokenState({ token }: { token: ApiToken }) {
  if (token.revokedAt) return <Badge tone="danger">Revoked</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now())
    return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

/** What the token may do: its scopes, and what it is limited to; a token without scopes has its user's full access. */
function TokenAccess({ token }: { token: ApiToken }) {
  if (!token.scopes) return <span className="text-zinc-500 dark:text-zinc-400">Full access</span>;
  const catalogs = token.limits?.catalogIds?.length ?? 0;
  const controls = token.limits?.controlIds?.length ?? 0;
  const limits = [
    catalogs ? `${catalogs} catalog${catalogs === 1 ? "" : "s"}` : null,
    controls ? `${controls} control${controls === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-1">
        {token.scopes.map((scope) => (
          <Badge key={scope}>{scope}</Badge>
        ))}
      </div>
      {limits.length > 0 && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Limited to {limits.join(" and ")}</p>
      )}
    </div>
  );
}

function TokensTable({ tokens, isUpdating }: { tokens: ApiToken[]; isUpdating: boolean }) {
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Token</TableHeaderCell>
          <TableHeaderCell>Access</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Expires</TableHeaderCell>
          <TableHeaderCell>Last used</TableHeaderCell>
          <TableHeaderCell>Created</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {tokens.map((token) => (
          <TableRow key={token.id}>
            <TableCell className="font-medium">{token.name}</TableCell>
            <TableCell className="font-mono text-xs">{token.prefix}…</TableCell>
            <TableCell>
              <TokenAccess token={token} />
            </TableCell>
            <TableCell>
              <TokenState token={token} />
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {token.expiresAt ? formatDateTime(token.expiresAt) : "Never"}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Never"}
            </TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(token.createdAt)}</TableCell>
            <TableCell className="text-right">{!token.revokedAt && <RevokeTokenDialog token={token} />}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
