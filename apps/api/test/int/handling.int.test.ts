import {
  ChainVerificationSchema,
  ComputationPageSchema,
  ControlPageSchema,
  ControlSchema,
  MyControlListSchema,
  PersonListSchema,
  PointAcknowledgementSchema,
  PointCommentListSchema,
  PointExceptionListSchema,
  PointExceptionSchema,
  PointPageSchema,
  type Point,
} from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * Ownership of controls and the handling of failing points, on real Postgres with points the engine recorded through
 * the real Node-RED (the test flows `test-fail` and `test-pass`).
 */
describe("owners, watchers and the handling of failing points", () => {
  let app: TestApp;
  let developer: TestUser;
  let admin: TestUser;
  let reader: TestUser;
  let failingControlId: string;
  let passingControlId: string;
  let failingPoints: Point[];
  let passingPoint: Point;

  async function pointsOf(controlId: string, token = reader.token): Promise<Point[]> {
    const response = await request(app, "GET", `/api/v1/points?controlId=${controlId}&sort=windowStart`, { token });
    expect(response.status).toBe(200);
    return PointPageSchema.parse(response.body).items;
  }

  async function auditOf(resourceType: string, resourceId: string): Promise<{ action: string; actor: string }[]> {
    const { rows } = await app.deps.db.query<{ action: string; actor: string }>(
      `select action, actor_name as actor from audit_log where resource_type = $1 and resource_id = $2 order by id`,
      [resourceType, resourceId],
    );
    return rows;
  }

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    app.setNow(new Date("2026-11-03T12:00:00Z"));
    developer = await signInAs(app, "DEVELOPER");
    admin = await signInAs(app, "ADMIN");
    reader = await signInAs(app, "USER");
    const range = { from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z" };
    const failing = await createEvaluableControl(app, developer.token, {
      mashupId: "test-fail",
      startDate: "2026-11-01T00:00:00Z",
    });
    const passing = await createEvaluableControl(app, developer.token, {
      mashupId: "test-pass",
      startDate: "2026-11-01T00:00:00Z",
    });
    failingControlId = failing.control.id;
    passingControlId = passing.control.id;
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, failingControlId, range)).batch.id);
    await waitForBatch(app, developer.token, (await startRuns(app, developer.token, passingControlId, range)).batch.id);
    failingPoints = await pointsOf(failingControlId);
    passingPoint = (await pointsOf(passingControlId))[0]!;
  }, 60_000);
  afterAll(() => app?.close());

  it("starts from two failing points and a passing one, none of them handled", () => {
    expect(failingPoints.map((point) => point.result)).toEqual(["fail", "fail"]);
    expect(passingPoint?.result).toBe("pass");
    expect(failingPoints[0]!.handling).toEqual({ acknowledged: null, exception: null, commentCount: 0 });
  });

  describe("owner and watchers", () => {
    it("lets a DEVELOPER set and clear the owner, refuses a USER with a 403 problem, and audits each change", async () => {
      const refused = await request(app, "PUT", `/api/v1/controls/${failingControlId}/owner`, {
        token: reader.token,
        body: { userId: reader.id },
      });
      expectProblem(refused, 403, "forbidden");

      const set = await request(app, "PUT", `/api/v1/controls/${failingControlId}/owner`, {
        token: developer.token,
        body: { userId: reader.id },
      });
      expect(set.status).toBe(200);
      expect(ControlSchema.parse(set.body).owner).toEqual({
        id: reader.id,
        username: reader.username,
        displayName: null,
      });
      const read = await request(app, "GET", `/api/v1/controls/${failingControlId}`, { token: reader.token });
      expect(ControlSchema.parse(read.body).owner?.id).toBe(reader.id);

      const mine = await request(app, "GET", "/api/v1/controls?owner=me", { token: reader.token });
      expect(ControlPageSchema.parse(mine.body).items.map((control) => control.id)).toEqual([failingControlId]);
      const theirs = await request(app, "GET", `/api/v1/controls?owner=${reader.id}`, { token: developer.token });
      expect(ControlPageSchema.parse(theirs.body).items.map((control) => control.id)).toEqual([failingControlId]);
      const none = await request(app, "GET", "/api/v1/controls?owner=me", { token: developer.token });
      expect(ControlPageSchema.parse(none.body).items).toEqual([]);

      const cleared = await request(app, "DELETE", `/api/v1/controls/${passingControlId}/owner`, {
        token: developer.token,
      });
      expect(cleared.status).toBe(204);
      expect(await auditOf("control_owner", failingControlId)).toEqual([
        { action: "update", actor: developer.username },
      ]);
      // Clearing an owner the control never had changes nothing, so nothing is audited.
      expect(await auditOf("control_owner", passingControlId)).toEqual([]);
    });

    it("refuses an owner who is not an enabled user (400) and an unknown control (404)", async () => {
      const unknownUser = await request(app, "PUT", `/api/v1/controls/${failingControlId}/owner`, {
        token: developer.token,
        body: { userId: "00000000-0000-4000-8000-000000000000" },
      });
      expect(expectProblem(unknownUser, 400, "validation_failed").errors).toEqual([
        { path: "body.userId", message: "No enabled user with this id" },
      ]);
      const notAnId = await request(app, "PUT", `/api/v1/controls/${failingControlId}/owner`, {
        token: developer.token,
        body: { userId: "me" },
      });
      expectProblem(notAnId, 400, "validation_failed");
      const unknownControl = await request(app, "PUT", "/api/v1/controls/00000000-0000-4000-8000-000000000000/owner", {
        token: developer.token,
        body: { userId: reader.id },
      });
      expectProblem(unknownControl, 404, "not_found");
    });

    it("lets anyone watch and unwatch a control themself, but only a DEVELOPER someone else", async () => {
      const watch = await request(app, "POST", `/api/v1/controls/${passingControlId}/watchers`, {
        token: reader.token,
        body: { userId: reader.id },
      });
      expect(watch.status).toBe(200);
      expect(ControlSchema.parse(watch.body).watchers.map((user) => user.id)).toEqual([reader.id]);

      const forOthers = await request(app, "POST", `/api/v1/controls/${passingControlId}/watchers`, {
        token: reader.token,
        body: { userId: developer.id },
      });
      expectProblem(forOthers, 403, "forbidden");
      const removeOthers = await request(app, "DELETE", `/api/v1/controls/${passingControlId}/watchers/${admin.id}`, {
        token: reader.token,
      });
      expectProblem(removeOthers, 403, "forbidden");

      const byDeveloper = await request(app, "POST", `/api/v1/controls/${passingControlId}/watchers`, {
        token: developer.token,
        body: { userId: admin.id },
      });
      expect(
        ControlSchema.parse(byDeveloper.body)
          .watchers.map((user) => user.id)
          .sort(),
      ).toEqual([reader.id, admin.id].sort());
      const watching = await request(app, "GET", "/api/v1/controls?watching=me", { token: reader.token });
      expect(ControlPageSchema.parse(watching.body).items.map((control) => control.id)).toEqual([passingControlId]);

      const unwatch = await request(app, "DELETE", `/api/v1/controls/${passingControlId}/watchers/${admin.id}`, {
        token: admin.token,
      });
      expect(unwatch.status).toBe(204);
      const read = await request(app, "GET", `/api/v1/controls/${passingControlId}`, { token: reader.token });
      expect(ControlSchema.parse(read.body).watchers.map((user) => user.id)).toEqual([reader.id]);
      expect((await auditOf("control_watcher", passingControlId)).map((row) => row.action)).toEqual([
        "create",
        "create",
        "delete",
      ]);
    });

    it("lists the people to pick, enabled users only", async () => {
      const response = await request(app, "GET", `/api/v1/people?q=${reader.username}`, { token: reader.token });
      expect(PersonListSchema.parse(response.body).items).toEqual([
        { id: reader.id, username: reader.username, displayName: null, role: "USER" },
      ]);
    });
  });

  describe("handling a failing point", () => {
    it("keeps comments append-only: a DEVELOPER adds, a USER reads but may not write, bad text is a 400", async () => {
      const pointId = failingPoints[0]!.id;
      const refused = await request(app, "POST", `/api/v1/points/${pointId}/comments`, {
        token: reader.token,
        body: { body: "Looking into it" },
      });
      expectProblem(refused, 403, "forbidden");
      const empty = await request(app, "POST", `/api/v1/points/${pointId}/comments`, {
        token: developer.token,
        body: { body: "   " },
      });
      expectProblem(empty, 400, "validation_failed");
      const tooLong = await request(app, "POST", `/api/v1/points/${pointId}/comments`, {
        token: developer.token,
        body: { body: "x".repeat(4001) },
      });
      expectProblem(tooLong, 400, "validation_failed");

      const created = await request(app, "POST", `/api/v1/points/${pointId}/comments`, {
        token: developer.token,
        body: { body: "Backup job was paused for the migration" },
      });
      expect(created.status).toBe(201);
      const listed = await request(app, "GET", `/api/v1/points/${pointId}/comments`, { token: reader.token });
      const [comment] = PointCommentListSchema.parse(listed.body).items;
      expect(comment).toMatchObject({
        body: "Backup job was paused for the migration",
        authorName: developer.username,
      });
      expect(await auditOf("point_comment", comment!.id)).toEqual([{ action: "create", actor: developer.username }]);
      await expect(
        app.deps.db.query("update point_comments set body = 'rewritten' where id = $1", [comment!.id]),
      ).rejects.toThrow(/append-only/);
      await expect(app.deps.db.query("delete from point_comments where id = $1", [comment!.id])).rejects.toThrow(
        /append-only/,
      );
      const unknown = await request(app, "GET", "/api/v1/points/00000000-0000-4000-8000-000000000000/comments", {
        token: reader.token,
      });
      expectProblem(unknown, 404, "not_found");
    });

    it("acknowledges a failing point once (who, when), and refuses a passing one with 409 point_not_failing", async () => {
      const pointId = failingPoints[0]!.id;
      const passing = await request(app, "POST", `/api/v1/points/${passingPoint.id}/acknowledge`, {
        token: developer.token,
      });
      expectProblem(passing, 409, "point_not_failing");
      const byReader = await request(app, "POST", `/api/v1/points/${pointId}/acknowledge`, { token: reader.token });
      expectProblem(byReader, 403, "forbidden");

      const first = await request(app, "POST", `/api/v1/points/${pointId}/acknowledge`, { token: developer.token });
      expect(first.status).toBe(201);
      const again = await request(app, "POST", `/api/v1/points/${pointId}/acknowledge`, { token: admin.token });
      expect(again.status).toBe(200);
      expect(PointAcknowledgementSchema.parse(again.body)).toEqual(PointAcknowledgementSchema.parse(first.body));
      expect(first.body.acknowledgedByName).toBe(developer.username);
      expect(await auditOf("point_acknowledgement", pointId)).toEqual([
        { action: "create", actor: developer.username },
      ]);

      const [handled] = await pointsOf(failingControlId);
      expect(handled!.handling).toMatchObject({
        acknowledged: { byName: developer.username },
        exception: null,
        commentCount: 1,
      });
    });

    it("validates an exception: expiry in the future, an officer as approver, a failing point of this control", async () => {
      const post = (body: Record<string, unknown>, controlId = failingControlId) =>
        request(app, "POST", `/api/v1/controls/${controlId}/exceptions`, {
          token: developer.token,
          body: {
            pointId: failingPoints[1]!.id,
            justification: "Accepted until the new backup target is live",
            approverId: admin.id,
            expiresAt: "2026-11-03T12:10:00Z",
            ...body,
          },
        });
      const past = await post({ expiresAt: "2026-11-03T11:59:59Z" });
      expect(expectProblem(past, 400, "validation_failed").errors).toEqual([
        { path: "body.expiresAt", message: "Must be in the future" },
      ]);
      const readerApprover = await post({ approverId: reader.id });
      expect(expectProblem(readerApprover, 400, "validation_failed").errors).toEqual([
        { path: "body.approverId", message: "The approver must be a DEVELOPER or an ADMIN" },
      ]);
      const missing = await post({ justification: "", expiresAt: "soon" });
      expect(
        expectProblem(missing, 400, "validation_failed")
          .errors.map((issue: { path: string }) => issue.path)
          .sort(),
      ).toEqual(["body.expiresAt", "body.justification"]);
      expectProblem(await post({ pointId: passingPoint.id }, passingControlId), 409, "point_not_failing");
      expectProblem(await post({}, passingControlId), 404, "not_found");
      const byReader = await request(app, "POST", `/api/v1/controls/${failingControlId}/exceptions`, {
        token: reader.token,
        body: {},
      });
      expectProblem(byReader, 403, "forbidden");
    });

    it("shows an exception active until it expires by the clock, then expired; revoking records who and why", async () => {
      const pointId = failingPoints[1]!.id;
      const chainBefore = await app.deps.db.query("select * from points where control_id = $1 order by seq", [
        failingControlId,
      ]);
      const created = await request(app, "POST", `/api/v1/controls/${failingControlId}/exceptions`, {
        token: developer.token,
        body: {
          pointId,
          justification: "Accepted until the new backup target is live",
          approverId: admin.id,
          expiresAt: "2026-11-03T12:10:00Z",
        },
      });
      expect(created.status).toBe(201);
      const exception = PointExceptionSchema.parse(created.body);
      expect(exception).toMatchObject({
        pointId,
        approverName: admin.username,
        createdByName: developer.username,
        status: "active",
        windowStart: failingPoints[1]!.windowStart,
        expiresAt: "2026-11-03T12:10:00.000Z",
      });
      const twice = await request(app, "POST", `/api/v1/controls/${failingControlId}/exceptions`, {
        token: developer.token,
        body: { pointId, justification: "Again", approverId: admin.id, expiresAt: "2026-11-03T12:12:00Z" },
      });
      expectProblem(twice, 409, "exception_active");

      const active = (await pointsOf(failingControlId))[1]!;
      expect(active.result).toBe("fail");
      expect(active.handling.exception).toEqual({
        id: exception.id,
        expiresAt: "2026-11-03T12:10:00.000Z",
        approverName: admin.username,
        isActive: true,
      });
      const computations = await request(app, "GET", `/api/v1/controls/${failingControlId}/computations`, {
        token: reader.token,
      });
      const computation = ComputationPageSchema.parse(computations.body).items.find((item) => item.pointId === pointId);
      expect(computation?.handling?.exception?.isActive).toBe(true);

      app.setNow(new Date("2026-11-03T12:10:01Z"));
      const expiredList = await request(app, "GET", `/api/v1/controls/${failingControlId}/exceptions`, {
        token: reader.token,
      });
      expect(PointExceptionListSchema.parse(expiredList.body).items.map((item) => item.status)).toEqual(["expired"]);
      expect((await pointsOf(failingControlId))[1]!.handling.exception?.isActive).toBe(false);

      const revoked = await request(
        app,
        "POST",
        `/api/v1/controls/${failingControlId}/exceptions/${exception.id}/revoke`,
        { token: developer.token, body: { reason: "The target went live early" } },
      );
      expect(revoked.status).toBe(200);
      expect(PointExceptionSchema.parse(revoked.body)).toMatchObject({
        status: "revoked",
        revokedByName: developer.username,
        revokeReason: "The target went live early",
      });
      const again = await request(
        app,
        "POST",
        `/api/v1/controls/${failingControlId}/exceptions/${exception.id}/revoke`,
        { token: developer.token, body: { reason: "Twice" } },
      );
      expectProblem(again, 409, "exception_revoked");
      const listed = await request(app, "GET", `/api/v1/controls/${failingControlId}/exceptions`, {
        token: reader.token,
      });
      expect(PointExceptionListSchema.parse(listed.body).items.map((item) => [item.id, item.status])).toEqual([
        [exception.id, "revoked"],
      ]);
      expect((await pointsOf(failingControlId))[1]!.handling.exception).toBeNull();
      expect((await auditOf("point_exception", exception.id)).map((row) => row.action)).toEqual(["create", "revoke"]);
      await expect(app.deps.db.query("delete from point_exceptions where id = $1", [exception.id])).rejects.toThrow(
        /append-only/,
      );

      // Handling never touches the record: the points are unchanged and the chain verifies.
      const chainAfter = await app.deps.db.query("select * from points where control_id = $1 order by seq", [
        failingControlId,
      ]);
      expect(chainAfter.rows).toEqual(chainBefore.rows);
      const verified = await request(app, "GET", `/api/v1/controls/${failingControlId}/points/verify`, {
        token: reader.token,
      });
      expect(ChainVerificationSchema.parse(verified.body)).toMatchObject({ isIntact: true, pointCount: 2 });
      app.setNow(new Date("2026-11-03T12:00:00Z"));
    });

    it("keeps the handling and ownership of an archived control read-only (409 archived), and still readable", async () => {
      const archived = await request(app, "POST", `/api/v1/controls/${passingControlId}/archive`, {
        token: developer.token,
        body: { reason: "Replaced by a new control" },
      });
      expect(archived.status).toBe(200);
      const comment = await request(app, "POST", `/api/v1/points/${passingPoint.id}/comments`, {
        token: developer.token,
        body: { body: "Too late" },
      });
      expectProblem(comment, 409, "archived");
      const watch = await request(app, "POST", `/api/v1/controls/${passingControlId}/watchers`, {
        token: admin.token,
        body: { userId: admin.id },
      });
      expectProblem(watch, 409, "archived");
      const owner = await request(app, "PUT", `/api/v1/controls/${passingControlId}/owner`, {
        token: developer.token,
        body: { userId: admin.id },
      });
      expectProblem(owner, 409, "archived");
      const exceptions = await request(app, "GET", `/api/v1/controls/${passingControlId}/exceptions`, {
        token: reader.token,
      });
      expect(PointExceptionListSchema.parse(exceptions.body).items).toEqual([]);
      // Out of My controls with its catalog's other archived controls; restored for the next test.
      const mine = await request(app, "GET", "/api/v1/me/controls", { token: reader.token });
      expect(MyControlListSchema.parse(mine.body).items.map((item) => item.controlId)).toEqual([failingControlId]);
      const restored = await request(app, "POST", `/api/v1/controls/${passingControlId}/restore`, {
        token: developer.token,
        body: { reason: "Still needed" },
      });
      expect(restored.status).toBe(200);
    });

    it("lists My controls with their state and the failures nobody handled yet", async () => {
      const response = await request(app, "GET", "/api/v1/me/controls", { token: reader.token });
      const items = MyControlListSchema.parse(response.body).items;
      expect(items.map((item) => [item.controlId, item.isOwner, item.isWatching, item.state])).toEqual(
        expect.arrayContaining([
          [failingControlId, true, false, "failing"],
          [passingControlId, false, true, "passing"],
        ]),
      );
      expect(items).toHaveLength(2);
      // One of the two failures is acknowledged; the other's exception was revoked.
      expect(items.find((item) => item.controlId === failingControlId)).toMatchObject({
        unhandledFailureCount: 1,
        activeExceptionCount: 0,
      });
    });
  });
});
