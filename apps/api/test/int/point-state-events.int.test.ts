import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { appendTestPoint } from "../webhook-helpers.ts";

/**
 * control.failing / control.recovered when the engine and the registry both give a window a point. Each point's own
 * state is compared with the windows before it (its own source's point where a window has both), so two points of one
 * window that disagree are each recorded as what they are: neither is compared with the other, which counted a state
 * held for no window at all (held_windows 0, refused by event_outbox_held_windows_check, rolling the append back).
 */
describe("state change events of points that share a window", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await app?.close();
  });

  const eventsOf = async (controlId: string) =>
    (
      await app.deps.db.query<{ type: string; source: string; previous: string | null; held: number; day: string }>(
        `select e.type, p.source, e.previous_state as previous, e.held_windows as held,
                to_char(e.window_start at time zone 'UTC', 'MM-DD') as day
           from event_outbox e join points p on p.id = e.point_id
          where e.control_id = $1 order by e.seq`,
        [controlId],
      )
    ).rows;

  it("records a registry point that fails a window the engine passed, and the engine's pass after it", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await appendTestPoint(app, control, "pass", "2026-11-01T00:00:00Z");
    await appendTestPoint(app, control, "pass", "2026-11-02T00:00:00Z");
    await appendTestPoint(app, control, "fail", "2026-11-02T00:00:00Z", { source: "registry" });
    await appendTestPoint(app, control, "fail", "2026-11-03T00:00:00Z", { source: "registry" });
    await appendTestPoint(app, control, "pass", "2026-11-03T00:00:00Z");

    expect(await eventsOf(control.id)).toEqual([
      { type: "control.failing", source: "registry", previous: "passing", held: 1, day: "11-02" },
      { type: "control.failing", source: "registry", previous: "passing", held: 2, day: "11-03" },
      // The engine's pass of 11-03 follows 11-02, whose engine point passed: no change, so no event.
    ]);
  });

  it("records an engine point that fails a window the registry passed", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
    await appendTestPoint(app, control, "pass", "2026-11-02T00:00:00Z", { source: "registry" });
    await appendTestPoint(app, control, "fail", "2026-11-02T00:00:00Z");

    expect(await eventsOf(control.id)).toEqual([
      { type: "control.failing", source: "engine", previous: null, held: 1, day: "11-01" },
      { type: "control.recovered", source: "registry", previous: "failing", held: 1, day: "11-02" },
      { type: "control.failing", source: "engine", previous: null, held: 2, day: "11-02" },
    ]);
  });

  // The statement skips a pass whose control has no failing window up to it, or whose scope's recent points have no
  // failure: both must look at the right control, scope and windows, or a recovery goes unrecorded.
  it("records a scope's recovery whatever the control's other scopes did, and only that scope's", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const a = { scope: { team: "a" } };
    const b = { scope: { team: "b" } };
    await appendTestPoint(app, control, "pass", "2026-11-01T00:00:00Z", a);
    await appendTestPoint(app, control, "pass", "2026-11-02T00:00:00Z", b);
    await appendTestPoint(app, control, "fail", "2026-11-03T00:00:00Z", b);
    // A's pass after B's failure: the control failed before, A never did (no event); B's is a recovery.
    await appendTestPoint(app, control, "pass", "2026-11-04T00:00:00Z", a);
    await appendTestPoint(app, control, "pass", "2026-11-04T00:00:00Z", b);
    await appendTestPoint(app, control, "pass", "2026-11-05T00:00:00Z", b);
    // A registry failure of a window is a failure of that window for the engine's later pass of the scope too.
    await appendTestPoint(app, control, "fail", "2026-11-06T00:00:00Z", { ...a, source: "registry" });
    await appendTestPoint(app, control, "pass", "2026-11-07T00:00:00Z", a);

    expect(await eventsOf(control.id)).toEqual([
      { type: "control.failing", source: "engine", previous: "passing", held: 1, day: "11-03" },
      { type: "control.recovered", source: "engine", previous: "failing", held: 1, day: "11-04" },
      // Recorded for each window the new state holds (up to the longest flapping guard).
      { type: "control.recovered", source: "engine", previous: "failing", held: 2, day: "11-05" },
      { type: "control.failing", source: "registry", previous: "passing", held: 1, day: "11-06" },
      { type: "control.recovered", source: "engine", previous: "failing", held: 1, day: "11-07" },
    ]);
  });
});
