import type { Role } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import * as users from "./users.repository.ts";
import type { UserRecord } from "./users.repository.ts";

/*
 * What signing in needs of the users (the auth module): accounts with their credentials, which never leave the API,
 * and the marks sign-in leaves on them. The users module stays the only reader and writer of the users table.
 */

export type { UserRecord };

/** The account with this id, credentials included. */
export async function findAccountById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  return users.findUserById(db, id);
}

/** The account with this username, compared without case. */
export async function findAccountByUsername(db: Queryable, username: string): Promise<UserRecord | undefined> {
  return users.findUserByUsername(db, username);
}

/** The account a GitHub account is linked to. */
export async function findAccountByGithubId(db: Queryable, githubId: string): Promise<UserRecord | undefined> {
  return users.findUserByGithubId(db, githubId);
}

/** Stamps the account's last sign-in. */
export async function recordLogin(db: Queryable, id: string): Promise<void> {
  await users.recordLogin(db, id);
}

/** Stores a password hash (hashPassword) the user chose themselves: any pending forced change is done. */
export async function storePasswordHash(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await users.setPassword(db, { id, passwordHash, mustChange: false });
}

/** Links a GitHub account (id and login) to the account. */
export async function linkGithubAccount(
  db: Queryable,
  id: string,
  githubId: string,
  githubLogin: string,
): Promise<void> {
  await users.linkGithubAccount(db, id, githubId, githubLogin);
}

/** The account linked to the provider's `sub`. */
export async function findAccountByOidcSubject(
  db: Queryable,
  issuer: string,
  subject: string,
): Promise<UserRecord | undefined> {
  return users.findUserByOidcSubject(db, issuer, subject);
}

/** Removes the account's GitHub link; false when it had none. */
export async function unlinkGithubAccount(db: Queryable, id: string): Promise<boolean> {
  return users.unlinkGithubAccount(db, id);
}

/** The account with this e-mail address, compared without case. */
export async function findAccountByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  return users.findUserByEmail(db, email);
}

/** Links the provider's subject; false when the account belongs to another subject. */
export async function linkOidcAccount(
  db: Queryable,
  input: { id: string; issuer: string; subject: string },
): Promise<boolean> {
  return users.linkOidcSubject(db, input);
}

/** Creates an account for a first sign-in through the provider. */
export async function createOidcAccount(
  db: Queryable,
  input: {
    username: string;
    email: string | null;
    displayName: string | null;
    role: Role;
    issuer: string;
    subject: string;
  },
): Promise<UserRecord> {
  return users.insertOidcUser(db, input);
}

/** Sets the role the provider's claims give the account (re-evaluated at each sign-in). */
export async function setAccountRole(db: Queryable, id: string, role: Role): Promise<void> {
  await users.updateUser(db, id, { role });
}
