import { callBody, realCalls } from '@cad/db/testing';
import { Client } from 'pg';
import { IncidentIntakeService } from '../intake/incident-intake.service';
import { startTestApp, TestApp, waitFor } from '../testing/test-app';
import { SEQUENCER_LOCK_KEY } from './event-sequencer';
import { EventsService } from './events.service';

const ready = (t: TestApp) => t.request('GET', '/api/health/ready', undefined, null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The intake-stall alarm (`INTAKE_STALL_S`, here 2 s): with no worker running, calls that keep arriving
 * and are never placed make readiness `degraded` naming the `intake` stage, an incident placed but never
 * dispatched names `dispatch`, and a stuck sequencer (its lock held) names `event-log` and the session
 * holding it; readiness stays `200` throughout so intake keeps flowing. A quiet system, and a busy one
 * whose workers keep up, stay `ok`.
 */
describe('the intake-stall alarm', () => {
  let stopped: TestApp;
  let running: TestApp;
  beforeAll(async () => {
    stopped = await startTestApp('stall-stopped', { RUN_WORKERS: 'false', INTAKE_STALL_S: '2' });
    running = await startTestApp('stall-running', { INTAKE_STALL_S: '2' });
  });
  afterAll(async () => {
    await stopped.close();
    await running.close();
  });

  it('a quiet system never raises it', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await ready(running);
      expect(r).toMatchObject({ status: 200, body: { status: 'ok', stalls: [] } });
      await sleep(1000);
    }
  });

  it('a system whose workers keep up with arriving calls does not raise it', async () => {
    const calls = realCalls();
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await running.request('POST', '/api/calls', callBody(calls[k], { callNumber: undefined }));
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    for (const id of ids) await running.incidentOf(id);
    await sleep(2500);
    expect((await ready(running)).body).toMatchObject({ status: 'ok', stalls: [] });
  });

  it('a stopped intake worker with calls arriving raises it, naming the stage, still 200', async () => {
    const calls = realCalls();
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await stopped.request('POST', '/api/calls', callBody(calls[k], { callNumber: undefined }));
      expect(r.status).toBe(202);
      ids.push(r.body.id);
      await sleep(1000);
    }
    const degraded = await waitFor(async () => {
      const r = await ready(stopped);
      return r.body.status === 'degraded' ? r : null;
    }, 20_000, 'degraded readiness');
    expect(degraded.status).toBe(200);
    expect(degraded.body.stalls).toEqual([expect.objectContaining({ stage: 'intake', waiting: 3 })]);
    expect(degraded.body.stalls[0].oldestSeconds).toBeGreaterThan(2);
    // The readiness stage names what degraded; its metric rises with it (the API's /metrics, from the loopback).
    expect(degraded.body.degraded).toEqual(expect.arrayContaining([expect.objectContaining({ stage: 'intake' })]));
    const metrics = await (await fetch(`${stopped.url}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith('cad_intake_stage_oldest_seconds{stage="intake"}'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThan(2);
    // Intake keeps flowing while degraded.
    expect((await stopped.request('POST', '/api/calls', callBody(calls[3], { callNumber: undefined }))).status).toBe(202);

    // Placed by hand (as an intake worker that came back would) but no dispatch worker: the stage is now dispatch.
    const intake = stopped.app.get(IncidentIntakeService);
    const unplaced: { id: string }[] = await stopped.ds.query('SELECT id FROM call WHERE incident_id IS NULL ORDER BY created_at');
    for (const c of unplaced) await intake.intake(c.id);
    const dispatch = await waitFor(async () => {
      const r = await ready(stopped);
      return r.body.stalls.some((s: { stage: string }) => s.stage === 'dispatch') ? r : null;
    }, 20_000, 'the dispatch stage named');
    expect(dispatch.status).toBe(200);
    expect(dispatch.body.stalls.map((s: { stage: string }) => s.stage)).toEqual(['dispatch']);
  });

  it('a stuck sequencer raises it for the event log, and clears when it moves again', async () => {
    const holder = new Client({ connectionString: running.config.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [SEQUENCER_LOCK_KEY]);
      const events = running.app.get(EventsService);
      await running.ds.transaction((m) => events.append(m, { type: 'road.closed', jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { stuck: true } as never }));
      const r = await waitFor(async () => {
        const x = await ready(running);
        return x.body.status === 'degraded' ? x : null;
      }, 20_000, 'degraded readiness');
      expect(r.status).toBe(200);
      expect(r.body.stalls).toEqual([expect.objectContaining({ stage: 'event-log', waiting: 1 })]);
      // It names the session that holds the sequencer back.
      expect(r.body.stalls[0].holder).toMatchObject({ pid: (holder as unknown as { processID: number }).processID });
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [SEQUENCER_LOCK_KEY]);
      await holder.end();
    }
    await waitFor(async () => (await ready(running)).body.status === 'ok', 20_000, 'ok again');
  });
});
