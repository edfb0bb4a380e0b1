import type { Queryable } from "../../db/database.ts";

/** Records one failed sign-in and deletes failures older than `forgetBefore` (they no longer count anywhere). */
export async function insertLoginFailure(
  db: Queryable,
  row: { usernameKey: string; ipAddress: string; failedAt: Date; forgetBefore: Date },
): Promise<void> {
  await db.query(`insert into login_failures (username_key, ip_address, failed_at) values ($1, $2, $3)`, [
    row.usernameKey,
    row.ipAddress,
    row.failedAt,
  ]);
  await db.query(`delete from login_failures where failed_at < $1`, [row.forgetBefore]);
}

/** Failures of one username from one address since `since`: how many, and when the last one was. */
export async function countPairFailures(
  db: Queryable,
  input: { usernameKey: string; ipAddress: string; since: Date },
): Promise<{ count: number; lastFailedAt: Date | null }> {
  const result = await db.query<{ count: number; lastFailedAt: string | null }>(
    `select count(*) as count, max(failed_at) as "lastFailedAt" from login_failures
      where username_key = $1 and ip_address = $2 and failed_at > $3`,
    [input.usernameKey, input.ipAddress, input.since],
  );
  const row = result.rows[0];
  return { count: Number(row?.count ?? 0), lastFailedAt: row?.lastFailedAt ? new Date(row.lastFailedAt) : null };
}

/**
 * The time of the `nth` most recent failure from one address (any username) since `since`; null when there are fewer.
 * With n = the limit, that failure leaving the window is when the address may try again.
 */
export async function findNthRecentAddressFailure(
  db: Queryable,
  input: { ipAddress: string; since: Date; nth: number },
): Promise<Date | null> {
  const result = await db.query<{ failedAt: string }>(
    `select failed_at as "failedAt" from login_failures where ip_address = $1 and failed_at > $2
      order by failed_at desc offset $3 limit 1`,
    [input.ipAddress, input.since, input.nth - 1],
  );
  return result.rows[0] ? new Date(result.rows[0].failedAt) : null;
}

/**
 * The last failure of the `nth` most recently failing distinct address for one username since `since`; null when
 * fewer addresses failed. With n = the distributed-attack threshold, it leaving the window lifts the username lock.
 */
export async function findNthRecentFailingAddress(
  db: Queryable,
  input: { usernameKey: string; since: Date; nth: number },
): Promise<Date | null> {
  const result = await db.query<{ lastFailedAt: string }>(
    `select max(failed_at) as "lastFailedAt" from login_failures where username_key = $1 and failed_at > $2
      group by ip_address order by max(failed_at) desc offset $3 limit 1`,
    [input.usernameKey, input.since, input.nth - 1],
  );
  return result.rows[0] ? new Date(result.rows[0].lastFailedAt) : null;
}

/** A successful sign-in forgets that address's failures for that username (typos before it no longer count). */
export async function deletePairFailures(
  db: Queryable,
  input: { usernameKey: string; ipAddress: string },
): Promise<void> {
  await db.query(`delete from login_failures where username_key = $1 and ip_address = $2`, [
    input.usernameKey,
    input.ipAddress,
  ]);
}
