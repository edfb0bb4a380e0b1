import type { AiUsageQuery, AiUsageRow } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { WhereBuilder } from "../../db/pagination.ts";

export async function findUsageOfDay(
  db: Queryable,
  userId: string,
  day: string,
): Promise<{ requests: number; tokens: number }> {
  const result = await db.query<{ requests: number; tokens: number }>(
    `select requests, (prompt_tokens + completion_tokens)::bigint as tokens from ai_usage where user_id = $1 and day = $2::date`,
    [userId, day],
  );
  return result.rows[0] ?? { requests: 0, tokens: 0 };
}

/** Counts one model request and its tokens for the user's day (one statement, safe under concurrency). */
export async function addUsage(
  db: Queryable,
  userId: string,
  day: string,
  usage: { requests: number; promptTokens: number; completionTokens: number },
): Promise<void> {
  await db.query(
    `insert into ai_usage (user_id, day, requests, prompt_tokens, completion_tokens) values ($1, $2::date, $3, $4, $5)
     on conflict (user_id, day) do update set requests = ai_usage.requests + excluded.requests,
       prompt_tokens = ai_usage.prompt_tokens + excluded.prompt_tokens, completion_tokens = ai_usage.completion_tokens + excluded.completion_tokens`,
    [userId, day, usage.requests, usage.promptTokens, usage.completionTokens],
  );
}

export async function listUsage(db: Queryable, query: AiUsageQuery): Promise<AiUsageRow[]> {
  const where = new WhereBuilder()
    .add("ai_usage.day >= $?::date", query.from)
    .add("ai_usage.day <= $?::date", query.to)
    .add("ai_usage.user_id = $?", query.userId);
  const result = await db.query<AiUsageRow>(
    `select ai_usage.user_id as "userId", users.username, to_char(ai_usage.day, 'YYYY-MM-DD') as day, ai_usage.requests,
            ai_usage.prompt_tokens as "promptTokens", ai_usage.completion_tokens as "completionTokens"
       from ai_usage join users on users.id = ai_usage.user_id ${where.toSql()}
      order by ai_usage.day desc, users.username limit 1000`,
    where.values,
  );
  return result.rows;
}
