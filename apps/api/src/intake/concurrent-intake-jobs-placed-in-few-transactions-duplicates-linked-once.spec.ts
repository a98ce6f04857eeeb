import { IntakeProcessor } from './intake.processor';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Issue 19, part 4: the intake worker places the calls of the intake jobs it runs together in one
 * transaction per batch, not one per call, and the duplicate rule holds across a batch (calls about one
 * emergency make one incident, dispatched once). The hostile twin: a call the database refuses fails
 * its own job alone; the calls beside it are placed, and it is placed by its retry once the database
 * takes it (nothing accepted is lost).
 */
describe('concurrent intake jobs are placed in a few transactions, duplicates linked once', () => {
  let t: TestApp;
  let processors: IntakeProcessor;
  beforeAll(async () => {
    t = await startTestApp('intake-batches');
    processors = t.app.get(IntakeProcessor);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Thirty-two places on a grid over the city, about 1.1 km × 0.7 km apart: never duplicates of each other. */
  const spread = (k: number) => ({ lat: 37.745 + 0.01 * (k % 4), lon: -122.475 + 0.008 * Math.floor(k / 4) });
  /** Within ~25 m of one point: reports of one emergency. */
  const fire = (k: number) => ({ lat: 37.7925 + 0.0002 * Math.sin(k), lon: -122.41 + 0.0002 * Math.cos(k) });
  const placed = async (ids: string[]) => {
    const [r] = await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE id = ANY($1) AND incident_id IS NOT NULL`, [ids]);
    return r.n as number;
  };

  it('forty calls at once are placed in fewer than forty transactions; the eight reports of one fire make one incident, dispatched once', async () => {
    const runs = processors.intakeBatches.runs;
    const stamp = Date.now();
    const bodies = [
      ...Array.from({ length: 8 }, (_, k) => ({ type: 'Structure Fire', priority: 1, ...fire(k), callNumber: `batch-fire-${stamp}-${k}`, address: `${100 + k} Sacramento St` })),
      ...Array.from({ length: 32 }, (_, k) => ({ type: 'Medical Incident', priority: 2, ...spread(k), callNumber: `batch-med-${stamp}-${k}` })),
    ];
    const posts = await Promise.all(bodies.map((b) => t.request('POST', '/api/calls', b)));
    expect(posts.map((p) => p.status)).toEqual(Array(40).fill(202));
    const ids = posts.map((p) => p.body.id as string);
    await waitFor(async () => (await placed(ids)) === 40 || null, 30000, 'every call placed');
    await t.settle();

    // Fewer transactions than calls: the batcher's count, and the database's own (rows written in one
    // transaction share its start time, `now()`).
    expect(processors.intakeBatches.runs - runs).toBeLessThan(40);
    expect(processors.intakeBatches.largest).toBeGreaterThan(1);
    const incidents: { id: string; created_at: Date }[] = await t.ds.query(`SELECT DISTINCT i.id, i.created_at FROM call c JOIN incident i ON i.id = c.incident_id WHERE c.id = ANY($1)`, [ids]);
    expect(incidents).toHaveLength(33);
    expect(new Set(incidents.map((i) => i.created_at.getTime())).size).toBeLessThan(33);

    // The eight reports of the fire: one incident, seven linked, one dispatch (each unit once).
    const fireIds = ids.slice(0, 8);
    const fireIncidents = await t.ds.query(`SELECT DISTINCT incident_id FROM call WHERE id = ANY($1)`, [fireIds]);
    expect(fireIncidents).toHaveLength(1);
    const incident = (await t.request('GET', `/api/incidents/${fireIncidents[0].incident_id}`)).body;
    expect(incident.callCount).toBe(8);
    expect(incident.calls.filter((c: { linked: boolean }) => !c.linked)).toHaveLength(1);
    const count = async (type: string) =>
      (await t.ds.query(`SELECT count(*)::int AS n FROM incident_event WHERE incident_id = $1 AND type = $2`, [incident.id, type]))[0].n as number;
    expect(await count('incident.created')).toBe(1);
    expect(await count('call.linked')).toBe(7);
    expect(incident.assignments.length).toBeGreaterThan(0);
    expect(await count('assignment.created')).toBe(incident.assignments.length);
    expect(new Set(incident.assignments.map((a: { unitId: string }) => a.unitId)).size).toBe(incident.assignments.length);
    // The spread calls each opened their own incident.
    const [{ n: own }] = await t.ds.query(`SELECT count(DISTINCT incident_id)::int AS n FROM call WHERE id = ANY($1) AND NOT linked`, [ids.slice(8)]);
    expect(own).toBe(32);
  });

  it('hostile: a call the database refuses fails alone; the calls of its batch are placed, and its retry places it once the database takes it', async () => {
    const stamp = Date.now();
    // The database refuses an incident at this address (a real constraint on the test's own database).
    await t.ds.query(`ALTER TABLE incident ADD CONSTRAINT refuse_poison CHECK (address IS DISTINCT FROM 'poison-${stamp}') NOT VALID`);
    try {
      const bodies = Array.from({ length: 20 }, (_, k) => ({
        type: 'Medical Incident',
        priority: 2,
        lat: 37.741 + 0.01 * (k % 4),
        lon: -122.471 + 0.008 * Math.floor(k / 4),
        callNumber: `poison-batch-${stamp}-${k}`,
        address: k === 7 ? `poison-${stamp}` : `${k} Geary Blvd`,
      }));
      const posts = await Promise.all(bodies.map((b) => t.request('POST', '/api/calls', b)));
      expect(posts.map((p) => p.status)).toEqual(Array(20).fill(202));
      const ids = posts.map((p) => p.body.id as string);
      const good = ids.filter((_, k) => k !== 7);
      await waitFor(async () => (await placed(good)) === 19 || null, 30000, 'the nineteen good calls placed');
      // The refused call is stored, unplaced, and its job failed (and waits for its retry).
      const [poison] = await t.ds.query(`SELECT incident_id FROM call WHERE id = $1`, [ids[7]]);
      expect(poison.incident_id).toBeNull();
    } finally {
      await t.ds.query(`ALTER TABLE incident DROP CONSTRAINT refuse_poison`);
    }
    const [{ id }] = await t.ds.query(`SELECT id FROM call WHERE call_number = $1`, [`poison-batch-${stamp}-7`]);
    // Backoff 0.5, 1, 2, 4 s: its retry places it, once.
    await waitFor(async () => (await placed([id])) === 1 || null, 30000, 'the refused call placed by its retry');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM incident WHERE address = $1`, [`poison-${stamp}`]);
    expect(n).toBe(1);
  });
});
