import type { Page, Role, User, UserListQuery } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { likePattern, orderBy, queryPage, WhereBuilder } from "../../db/pagination.ts";

/** A user with the credentials that never leave the API. */
export interface UserRecord extends User {
  passwordHash: string | null;
  githubId: string | null;
  /** Set by an administrator's reset; cleared when the user chooses their own password. */
  mustChangePassword: boolean;
  /** Whether the account is linked to the OpenID Connect provider (a way to sign in). */
  hasOidcLink: boolean;
}

const USER_COLUMNS = `id, username, email, display_name as "displayName", role, is_disabled as "isDisabled",
  github_login as "githubLogin", last_login_at as "lastLoginAt", created_at as "createdAt", updated_at as "updatedAt"`;
const RECORD_COLUMNS = `${USER_COLUMNS}, password_hash as "passwordHash", github_id as "githubId",
  must_change_password as "mustChangePassword", oidc_subject is not null as "hasOidcLink"`;

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const result = await db.query<UserRecord>(`select ${RECORD_COLUMNS} from users where id = $1`, [id]);
  return result.rows[0];
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRecord | undefined> {
  const result = await db.query<UserRecord>(`select ${RECORD_COLUMNS} from users where lower(username) = lower($1)`, [
    username,
  ]);
  return result.rows[0];
}

export async function findUserByGithubId(db: Queryable, githubId: string): Promise<UserRecord | undefined> {
  const result = await db.query<UserRecord>(`select ${RECORD_COLUMNS} from users where github_id = $1`, [githubId]);
  return result.rows[0];
}

export interface NewUser {
  username: string;
  email: string | null;
  displayName: string | null;
  role: Role;
  passwordHash: string | null;
}

export async function insertUser(db: Queryable, user: NewUser): Promise<User> {
  const result = await db.query<User>(
    `insert into users (username, email, display_name, role, password_hash, password_changed_at)
     values ($1, $2, $3, $4, $5, now()) returning ${USER_COLUMNS}`,
    [user.username, user.email, user.displayName, user.role, user.passwordHash],
  );
  return result.rows[0]!;
}

export interface UserChanges {
  email?: string | null;
  displayName?: string | null;
  role?: Role;
  isDisabled?: boolean;
  passwordHash?: string;
}

/** Updates the given fields only; `coalesce` on a flag keeps the untouched ones. */
export async function updateUser(db: Queryable, id: string, changes: UserChanges): Promise<User | undefined> {
  const result = await db.query<User>(
    `update users set
       email = case when $2 then $3 else email end,
       display_name = case when $4 then $5 else display_name end,
       role = coalesce($6, role),
       is_disabled = coalesce($7, is_disabled),
       password_hash = coalesce($8, password_hash),
       password_changed_at = case when $8::text is null then password_changed_at else now() end,
       updated_at = now()
     where id = $1 returning ${USER_COLUMNS}`,
    [
      id,
      changes.email !== undefined,
      changes.email ?? null,
      changes.displayName !== undefined,
      changes.displayName ?? null,
      changes.role ?? null,
      changes.isDisabled ?? null,
      changes.passwordHash ?? null,
    ],
  );
  return result.rows[0];
}

export async function deleteUserRow(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query("delete from users where id = $1", [id]);
  return (result.rowCount ?? 0) > 0;
}

/** Active administrators, locked so two concurrent demotions cannot both pass the last-admin check. */
export async function countActiveAdminsForUpdate(db: Queryable): Promise<number> {
  const result = await db.query<{ id: string }>(
    "select id from users where role = 'ADMIN' and not is_disabled for update",
  );
  return result.rows.length;
}

export async function countUsers(db: Queryable): Promise<number> {
  const result = await db.query<{ count: number }>("select count(*)::int as count from users");
  return result.rows[0]?.count ?? 0;
}

export async function recordLogin(db: Queryable, id: string): Promise<void> {
  await db.query("update users set last_login_at = now() where id = $1", [id]);
}

export async function linkGithubAccount(
  db: Queryable,
  id: string,
  githubId: string,
  githubLogin: string,
): Promise<void> {
  await db.query("update users set github_id = $2, github_login = $3, updated_at = now() where id = $1", [
    id,
    githubId,
    githubLogin,
  ]);
}

/** Stores a new password hash; `mustChange` marks an administrator's reset, false the user's own choice. */
export async function setPassword(
  db: Queryable,
  input: { id: string; passwordHash: string; mustChange: boolean },
): Promise<boolean> {
  const result = await db.query(
    `update users set password_hash = $2, must_change_password = $3, password_changed_at = now(), updated_at = now()
      where id = $1`,
    [input.id, input.passwordHash, input.mustChange],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Removes the GitHub link of the account; false when none was linked. */
export async function unlinkGithubAccount(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query(
    "update users set github_id = null, github_login = null, updated_at = now() where id = $1 and github_id is not null",
    [id],
  );
  return (result.rowCount ?? 0) > 0;
}

const SORT_COLUMNS = {
  username: "lower(username)",
  createdAt: "created_at",
  role: "role",
  lastLoginAt: "last_login_at",
};

export async function listUsers(db: Queryable, query: UserListQuery): Promise<Page<User>> {
  const where = new WhereBuilder()
    .add("role = $?", query.role)
    .add("(username ilike $? or email ilike $? or display_name ilike $?)", query.q ? likePattern(query.q) : undefined);
  return queryPage<User>(db, {
    select: USER_COLUMNS,
    from: "users",
    where,
    orderBy: orderBy(query.sort, SORT_COLUMNS),
    page: query.page,
    pageSize: query.pageSize,
  });
}

export async function findUserByOidcSubject(
  db: Queryable,
  issuer: string,
  subject: string,
): Promise<UserRecord | undefined> {
  const result = await db.query<UserRecord>(
    `select ${RECORD_COLUMNS} from users where oidc_issuer = $1 and oidc_subject = $2`,
    [issuer, subject],
  );
  return result.rows[0];
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  const result = await db.query<UserRecord>(`select ${RECORD_COLUMNS} from users where lower(email) = lower($1)`, [
    email,
  ]);
  return result.rows[0];
}

/** Links the provider's subject to the account; false when the account is linked to another subject already. */
export async function linkOidcSubject(
  db: Queryable,
  input: { id: string; issuer: string; subject: string },
): Promise<boolean> {
  const result = await db.query(
    `update users set oidc_issuer = $2, oidc_subject = $3, updated_at = now()
      where id = $1 and (oidc_subject is null or (oidc_issuer = $2 and oidc_subject = $3))`,
    [input.id, input.issuer, input.subject],
  );
  return (result.rowCount ?? 0) > 0;
}

/** A new account that signs in only through the provider (no password). */
export async function insertOidcUser(
  db: Queryable,
  user: Omit<NewUser, "passwordHash"> & { issuer: string; subject: string },
): Promise<UserRecord> {
  const result = await db.query<UserRecord>(
    `insert into users (username, email, display_name, role, oidc_issuer, oidc_subject)
     values ($1, $2, $3, $4, $5, $6) returning ${RECORD_COLUMNS}`,
    [user.username, user.email, user.displayName, user.role, user.issuer, user.subject],
  );
  return result.rows[0]!;
}
