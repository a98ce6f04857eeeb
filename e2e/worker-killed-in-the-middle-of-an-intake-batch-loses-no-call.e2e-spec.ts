import { waitFor } from '@cad/db/testing';
import { startServer, startWorker, Server, WorkerProcess } from './support/server';

/**
 * A worker is killed with SIGKILL in the middle of an intake batch (its transaction has placed every
 * call of the batch and not committed). Postgres rolls the batch back; another worker takes the stalled
 * jobs: every accepted call is placed, the reports of one emergency make one incident (the others
 * linked), and each incident is dispatched once.
 */
describe('a worker SIGKILLed in the middle of an intake batch', () => {
  let s: Server;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    s = await startServer('sigkill-intake', { RUN_WORKERS: 'false' });
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await s.stop();
  });

  it('loses no call, links the duplicates once and dispatches each incident once', async () => {
    const doomed = await startWorker(s, { JOB_LOCK_MS: '2000' }, { killAt: 'intake.batch-placed' });
    workers.push(doomed);
    const stamp = Date.now();
    const bodies = [
      ...Array.from({ length: 4 }, (_, k) => ({ type: 'Structure Fire', priority: 1, lat: 37.7925 + 0.0002 * Math.sin(k), lon: -122.41 + 0.0002 * Math.cos(k), callNumber: `kill-fire-${stamp}-${k}` })),
      ...Array.from({ length: 8 }, (_, k) => ({ type: 'Medical Incident', priority: 2, lat: 37.745 + 0.01 * (k % 4), lon: -122.475 + 0.008 * Math.floor(k / 4), callNumber: `kill-med-${stamp}-${k}` })),
    ];
    const posts = await Promise.all(bodies.map((b) => s.request('POST', '/api/calls', b)));
    expect(posts.map((p) => p.status)).toEqual(Array(12).fill(202));
    const ids = posts.map((p) => p.body.id as string);
    expect(await Promise.race([doomed.exited, new Promise((r) => setTimeout(() => r('still alive'), 30000))])).toBe('SIGKILL');
    // Nothing of the killed batch survived (no batch commits before passing the point that killed it).
    const placedNow = (await s.db.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NOT NULL`, [ids])).rows[0].n;
    expect(placedNow).toBe(0);

    workers.push(await startWorker(s, { JOB_LOCK_MS: '2000' }));
    await waitFor(
      async () => (await s.db.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NOT NULL`, [ids])).rows[0].n === 12 || null,
      60000,
      'every call placed by the second worker',
    );
    const fireIncidents = (await s.db.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [ids.slice(0, 4)])).rows;
    expect(fireIncidents).toHaveLength(1);
    const fireId = fireIncidents[0].incident_id as string;
    const [{ n: linked }] = (await s.db.query(`SELECT count(*)::int AS n FROM call WHERE incident_id = $1 AND linked`, [fireId])).rows;
    expect(linked).toBe(3);
    const [{ n: own }] = (await s.db.query(`SELECT count(DISTINCT incident_id)::int AS n FROM call WHERE id = ANY($1)`, [ids.slice(4)])).rows;
    expect(own).toBe(8);
    // Each incident created once and dispatched once: every assignment.created names a distinct unit.
    const incidentIds = [fireId, ...(await s.db.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [ids.slice(4)])).rows.map((r: { incident_id: string }) => r.incident_id)];
    await waitFor(
      async () => (await s.db.query(`SELECT count(*)::int AS n FROM incident WHERE id = ANY($1) AND decided_revision IS NOT NULL`, [incidentIds])).rows[0].n === 9 || null,
      60000,
      'every incident decided',
    );
    for (const id of incidentIds) {
      const created = (await s.db.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = 'incident.created'`, [id])).rows[0].n;
      expect(created).toBe(1);
      const units = (await s.db.query(`SELECT unit_id FROM assignment WHERE incident_id = $1`, [id])).rows.map((r: { unit_id: string }) => r.unit_id);
      expect(new Set(units).size).toBe(units.length);
    }
    // Two worker starts and a stalled-job handover: more than the default budget on a loaded machine.
  }, 240_000);
});
