import type { ComplianceResult, PointAcknowledgement, PointComment } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { isoTextSql } from "../../db/timestamptz.ts";

/** What handling needs of a point: its control, result and window. Read only: the points module writes points. */
export interface HandledPoint {
  id: string;
  controlId: string;
  result: ComplianceResult;
  windowStart: string;
  windowEnd: string;
}

export async function findPoint(db: Queryable, pointId: string): Promise<HandledPoint | undefined> {
  const result = await db.query<HandledPoint>(
    `select id, control_id as "controlId", result, window_start as "windowStart", window_end as "windowEnd"
       from points where id = $1`,
    [pointId],
  );
  return result.rows[0];
}

const COMMENT_COLUMNS = `id, point_id as "pointId", control_id as "controlId", body, author_id as "authorId",
  author_name as "authorName", created_at as "createdAt"`;

export async function listCommentsOfPoint(db: Queryable, pointId: string): Promise<PointComment[]> {
  const result = await db.query<PointComment>(
    `select ${COMMENT_COLUMNS} from point_comments where point_id = $1 order by created_at, id`,
    [pointId],
  );
  return result.rows;
}

export async function insertComment(
  db: Queryable,
  input: { pointId: string; controlId: string; body: string; authorId: string; authorName: string },
): Promise<PointComment> {
  const result = await db.query<PointComment>(
    `insert into point_comments (point_id, control_id, body, author_id, author_name) values ($1, $2, $3, $4, $5)
     returning ${COMMENT_COLUMNS}`,
    [input.pointId, input.controlId, input.body, input.authorId, input.authorName],
  );
  return result.rows[0]!;
}

const ACKNOWLEDGEMENT_COLUMNS = `point_id as "pointId", control_id as "controlId", acknowledged_by as "acknowledgedBy",
  acknowledged_by_name as "acknowledgedByName", acknowledged_at as "acknowledgedAt"`;

/** Records the acknowledgement unless the point has one; answers the new one, or undefined. */
export async function insertAcknowledgement(
  db: Queryable,
  input: { pointId: string; controlId: string; userId: string; userName: string },
): Promise<PointAcknowledgement | undefined> {
  const result = await db.query<PointAcknowledgement>(
    `insert into point_acknowledgements (point_id, control_id, acknowledged_by, acknowledged_by_name)
     values ($1, $2, $3, $4) on conflict (point_id) do nothing returning ${ACKNOWLEDGEMENT_COLUMNS}`,
    [input.pointId, input.controlId, input.userId, input.userName],
  );
  return result.rows[0];
}

export async function findAcknowledgement(db: Queryable, pointId: string): Promise<PointAcknowledgement | undefined> {
  const result = await db.query<PointAcknowledgement>(
    `select ${ACKNOWLEDGEMENT_COLUMNS} from point_acknowledgements where point_id = $1`,
    [pointId],
  );
  return result.rows[0];
}

/** An exception as stored, with its point's window and scope; its status depends on the clock (the service's). */
export interface StoredException {
  id: string;
  pointId: string;
  controlId: string;
  windowStart: string;
  windowEnd: string;
  scope: Record<string, unknown>;
  justification: string;
  approverId: string | null;
  approverName: string;
  expiresAt: string;
  createdBy: string | null;
  createdByName: string;
  createdAt: string;
  revokedAt: string | null;
  revokedByName: string | null;
  revokeReason: string | null;
}

const EXCEPTION_COLUMNS = `e.id, e.point_id as "pointId", e.control_id as "controlId",
  ${isoTextSql("p.window_start")} as "windowStart", ${isoTextSql("p.window_end")} as "windowEnd", p.scope,
  e.justification, e.approver_id as "approverId", e.approver_name as "approverName", ${isoTextSql("e.expires_at")} as "expiresAt",
  e.created_by as "createdBy", e.created_by_name as "createdByName", ${isoTextSql("e.created_at")} as "createdAt",
  ${isoTextSql("e.revoked_at")} as "revokedAt", e.revoked_by_name as "revokedByName", e.revoke_reason as "revokeReason"`;

/** A control's exceptions, newest first, active and past. */
export async function listExceptionsOfControl(db: Queryable, controlId: string): Promise<StoredException[]> {
  const result = await db.query<StoredException>(
    `select ${EXCEPTION_COLUMNS} from point_exceptions e join points p on p.id = e.point_id
      where e.control_id = $1 order by e.created_at desc, e.id`,
    [controlId],
  );
  return result.rows;
}

export async function findException(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredException | undefined> {
  const lock = options.forUpdate ? "for update of e" : "";
  const result = await db.query<StoredException>(
    `select ${EXCEPTION_COLUMNS} from point_exceptions e join points p on p.id = e.point_id where e.id = $1 ${lock}`,
    [id],
  );
  return result.rows[0];
}

/** The point's exception that is neither revoked nor expired at `at`, if any. */
export async function findActiveExceptionOfPoint(
  db: Queryable,
  pointId: string,
  at: Date,
): Promise<StoredException | undefined> {
  const result = await db.query<StoredException>(
    `select ${EXCEPTION_COLUMNS} from point_exceptions e join points p on p.id = e.point_id
      where e.point_id = $1 and e.revoked_at is null and e.expires_at > $2 order by e.expires_at desc limit 1`,
    [pointId, at],
  );
  return result.rows[0];
}

export async function insertException(
  db: Queryable,
  input: {
    pointId: string;
    controlId: string;
    justification: string;
    approverId: string;
    approverName: string;
    expiresAt: string;
    createdBy: string;
    createdByName: string;
    createdAt: Date;
  },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `insert into point_exceptions (point_id, control_id, justification, approver_id, approver_name, expires_at,
                                   created_by, created_by_name, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      input.pointId,
      input.controlId,
      input.justification,
      input.approverId,
      input.approverName,
      input.expiresAt,
      input.createdBy,
      input.createdByName,
      input.createdAt,
    ],
  );
  return result.rows[0]!.id;
}

export async function markExceptionRevoked(
  db: Queryable,
  input: { id: string; userId: string; userName: string; reason: string; at: Date },
): Promise<void> {
  await db.query(
    `update point_exceptions set revoked_at = $5, revoked_by = $2, revoked_by_name = $3, revoke_reason = $4
      where id = $1 and revoked_at is null`,
    [input.id, input.userId, input.userName, input.reason, input.at],
  );
}
