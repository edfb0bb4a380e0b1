import { RoleSchema, UserListQuerySchema, type User, type UserListQuery } from "@status/shared";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PagedList } from "@/components/ui/paged-list.tsx";
import { SearchBox } from "@/components/ui/search-box.tsx";
import { enumOptions, SelectFilter } from "@/components/ui/select-filter.tsx";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useListParams } from "@/lib/use-list-params.ts";
import { useUsers } from "../api/get-users.ts";
import { ResetPasswordDialog } from "./reset-password-dialog.tsx";
import { DeleteUserDialog, EditUserDialog, EndUserSessionsDialog, ResetSecondFactorDialog } from "./user-dialogs.tsx";

/** Searchable, role-filtered, paginated users; all of that state lives in the URL. */
export function UsersList() {
  const { query, update } = useListParams(UserListQuerySchema);
  const usersQuery = useUsers(query);
  const isFiltered = Boolean(query.q || query.role || query.page > 1);

  return (
    <section aria-label="Users">
      <UsersToolbar query={query} onChange={update} />
      <PagedList
        query={usersQuery}
        loadingLabel="Loading users"
        errorTitle="The users could not be loaded"
        empty={{
          title: isFiltered ? "No users match these filters" : "No users yet",
          body: isFiltered && (
            <Button variant="secondary" size="sm" onClick={() => update({ q: undefined, role: undefined, page: 1 })}>
              Clear filters
            </Button>
          ),
        }}
        onPageChange={(page) => update({ page })}
      >
        {(users, isUpdating) => <UsersTable users={users} isUpdating={isUpdating} />}
      </PagedList>
    </section>
  );
}

function UsersToolbar({
  query,
  onChange,
}: {
  query: UserListQuery;
  onChange: (changes: Partial<UserListQuery>) => void;
}) {
  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-[minmax(0,1fr)_auto]">
      <SearchBox value={query.q ?? ""} placeholder="Username, name or e-mail" onSearch={(q) => onChange({ q })} />
      <SelectFilter
        label="Role"
        value={query.role}
        anyLabel="All roles"
        options={enumOptions(RoleSchema.options)}
        onChange={(role) => onChange({ role })}
      />
    </div>
  );
}

const ROLE_TONES = { USER: "neutral", DEVELOPER: "info", ADMIN: "accent" } as const;

function UsersTable({ users, isUpdating }: { users: User[]; isUpdating: boolean }) {
  return (
    <Table aria-busy={isUpdating} className={isUpdating ? "opacity-60" : undefined}>
      <TableHead>
        <tr>
          <TableHeaderCell>User</TableHeaderCell>
          <TableHeaderCell className="hidden lg:table-cell">E-mail</TableHeaderCell>
          <TableHeaderCell>Role</TableHeaderCell>
          <TableHeaderCell>Last sign-in</TableHeaderCell>
          <TableHeaderCell>
            <span className="sr-only">Actions</span>
          </TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {users.map((user) => (
          <TableRow key={user.id}>
            <TableCell>
              <span className="font-medium">{user.username}</span>
              {user.displayName && (
                <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{user.displayName}</p>
              )}
              {/* The e-mail column starts at lg (1024 px); narrower, the address is here. */}
              {user.email && <p className="mt-0.5 text-xs text-zinc-500 lg:hidden dark:text-zinc-400">{user.email}</p>}
            </TableCell>
            <TableCell className="hidden lg:table-cell">{user.email ?? "—"}</TableCell>
            <TableCell>
              <span className="inline-flex gap-1">
                <Badge tone={ROLE_TONES[user.role]}>{user.role}</Badge>
                {user.isDisabled && <Badge tone="danger">Disabled</Badge>}
              </span>
            </TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(user.lastLoginAt)}</TableCell>
            <TableCell className="text-right whitespace-nowrap">
              <div className="flex justify-end gap-1">
                <EditUserDialog user={user} />
                <ResetPasswordDialog user={user} />
                <EndUserSessionsDialog user={user} />
                <ResetSecondFactorDialog user={user} />
                <DeleteUserDialog user={user} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
