/**
 * Select expressions for what the handling module records about controls and points (owner, watchers, comments,
 * acknowledgements, exceptions), so the controls, points and computations lists carry it in one query each. Read-only:
 * the handling module alone writes those tables.
 */

import { isoTextSql } from "./timestamptz.ts";

const USER_REF = `json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name)`;

/** The `owner` (UserRef or null) of the control row `controls`. */
export const CONTROL_OWNER_COLUMN = `(select ${USER_REF} from control_owners o join users u on u.id = o.user_id
    where o.control_id = controls.id)`;

/** The `watchers` (UserRef[], by username) of the control row `controls`. */
export const CONTROL_WATCHERS_COLUMN = `coalesce((select json_agg(${USER_REF} order by lower(u.username), u.id)
    from control_watchers w join users u on u.id = w.user_id where w.control_id = controls.id), '[]'::json)`;

/**
 * The handling of the point whose id is `pointId` (an SQL expression): its acknowledgement, its newest exception that
 * was not revoked (whether it is still active depends on the clock: see `domain/point-handling.ts`) and its comment
 * count. Null when `pointId` is null.
 */
export function pointHandlingColumn(pointId: string): string {
  return `case when ${pointId} is null then null else json_build_object(
    'acknowledged', (select json_build_object('byName', a.acknowledged_by_name, 'at', ${isoTextSql("a.acknowledged_at")})
                       from point_acknowledgements a where a.point_id = ${pointId}),
    'exception', (select json_build_object('id', e.id, 'expiresAt', ${isoTextSql("e.expires_at")}, 'approverName', e.approver_name)
                    from point_exceptions e where e.point_id = ${pointId} and e.revoked_at is null
                   order by e.expires_at desc limit 1),
    'commentCount', (select count(*)::int from point_comments c where c.point_id = ${pointId})) end`;
}
