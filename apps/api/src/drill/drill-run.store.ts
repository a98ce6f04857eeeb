import { DrillRunRow } from '@cad/db';
import type { DataSource } from 'typeorm';
import type { DrillRun, DrillRunView, DrillState } from './drill-run';

/** SQL of the drill room's `drill_run` record: a run's state, view and report outlive the process that ran it. */
export const drillRunStore = {
  /** Records a run as started (its state, policy and first view). */
  async started(ds: DataSource, run: DrillRun): Promise<void> {
    await ds.query(`INSERT INTO drill_run (id, policy, state, view, started_at) VALUES ($1, $2, $3, $4, $5)`, [run.id, run.opts.policy, run.state, JSON.stringify(run.view()), run.startedAt]);
  },

  /** Records a run's state, view and end instant (and its report, when given). */
  async ended(ds: DataSource, run: DrillRun, report?: Record<string, unknown> | null): Promise<void> {
    if (report === undefined) {
      await ds.query(`UPDATE drill_run SET state = $2, view = $3, finished_at = $4 WHERE id = $1`, [run.id, run.state, JSON.stringify(run.view()), run.finishedAt]);
      return;
    }
    await ds.query(`UPDATE drill_run SET state = $2, view = $3, report = $4, finished_at = $5 WHERE id = $1`, [
      run.id,
      run.state,
      JSON.stringify(run.view()),
      report ? JSON.stringify(report) : null,
      run.finishedAt,
    ]);
  },

  /** Ids of the runs recorded as running or paused (by any process). */
  async going(ds: DataSource): Promise<string[]> {
    const rows: { id: string }[] = await ds.query(`SELECT id FROM drill_run WHERE state IN ('running', 'paused') ORDER BY started_at`);
    return rows.map((r) => r.id);
  },

  /**
   * Records a run whose process died while it was running or paused as `failed`, with `reason` as its
   * error and now as its end; false when it was no longer recorded as going. Its view (last recorded
   * when it started) takes what its world recorded: `posted` its stored exercise calls, `simTime` the
   * latest simulated instant of those calls and their tasks (never before the recorded one), and
   * `progress` that instant's share of `simStart..simEnd` (0..1).
   */
  async interrupted(ds: DataSource, id: string, reason: string): Promise<boolean> {
    const [, n]: [unknown, number] = await ds.query(
      `WITH rec AS (
         SELECT (SELECT count(*)::int FROM call WHERE drill_id = $1) AS posted,
                GREATEST((d.view->>'simTime')::timestamptz,
                         (SELECT max(received_at) FROM call WHERE drill_id = $1),
                         (SELECT max(GREATEST(dispatched_at, en_route_at, on_scene_at, cleared_at)) FROM assignment WHERE world = $1)) AS sim,
                (d.view->>'simStart')::timestamptz AS s0, (d.view->>'simEnd')::timestamptz AS s1
           FROM drill_run d WHERE d.id = $1)
       UPDATE drill_run SET state = 'failed', finished_at = now(),
              view = view || jsonb_build_object('state', 'failed', 'error', $2::text, 'finishedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'posted', rec.posted,
                'simTime', to_char(COALESCE(rec.sim, rec.s0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'progress', CASE WHEN rec.s1 > rec.s0 AND rec.sim IS NOT NULL
                                 THEN LEAST(1, GREATEST(0, extract(epoch FROM rec.sim - rec.s0) / extract(epoch FROM rec.s1 - rec.s0))) ELSE 0 END)
         FROM rec
        WHERE id = $1 AND state IN ('running', 'paused')`,
      [id, reason],
    );
    return n > 0;
  },

  /** The newest recorded runs (at most `take`), newest first. */
  latest(ds: DataSource, take: number): Promise<DrillRunRow[]> {
    return ds.getRepository(DrillRunRow).find({ order: { startedAt: 'DESC' }, take });
  },

  /** One recorded run, or null. */
  one(ds: DataSource, id: string): Promise<DrillRunRow | null> {
    return ds.getRepository(DrillRunRow).findOneBy({ id });
  },
};

/** A recorded run as the API shows it: its last recorded view, with the state recorded at its end. */
export function recordedView(row: DrillRunRow): DrillRunView {
  return { ...(row.view as unknown as DrillRunView), state: row.state as DrillState };
}
