import { EventsService } from '../../events/events.service';
import { startTestApp, TestApp, waitFor } from '../../testing/test-app';
import { metricsRefusal, serveMetrics } from './metrics-http';
import { MetricsService } from './metrics.service';
import pino from 'pino';

/** The value of one sample in Prometheus text (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/**
 * `/metrics` exposes the named series once a call has gone through intake and dispatch: accept latency,
 * queue depth and wait, job durations by queue, relay lag, sockets, dispatch decisions and escalations by
 * reason. Hostile twins: a rolled-back transaction counts nothing; a client off the loopback or with a
 * wrong token is refused; a worker whose metrics port is taken keeps running.
 */
describe('metrics: the named series after a call has gone through', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('metrics');
  });
  afterAll(async () => {
    await t.close();
  });

  const scrape = async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  it('counts the accepted call, its jobs, its dispatch and a hand escalation', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045 });
    expect(call.status).toBe(202);
    const incident = await t.incidentOf(call.body.id);
    expect((await t.request('POST', `/api/incidents/${incident.id}/escalate`, { reason: 'metrics test' })).status).toBe(200);
    await t.settle();
    const text = await waitFor(async () => {
      const s = await scrape();
      return (sample(s, 'cad_job_duration_seconds_count', { queue: 'dispatch', outcome: 'completed' }) ?? 0) > 0 ? s : null;
    }, 20000, 'a dispatch job timed');
    expect(sample(text, 'cad_call_accept_seconds_count', { status: '202' })).toBe(1);
    expect(sample(text, 'cad_call_accept_seconds_bucket', { status: '202', le: '+Inf' })).toBe(1);
    expect(sample(text, 'cad_queue_wait_seconds_count', { queue: 'intake' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cad_job_duration_seconds_count', { queue: 'intake', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    for (const queue of ['intake', 'dispatch', 'escalation']) {
      expect(sample(text, 'cad_queue_jobs', { queue, state: 'waiting' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'cad_queue_oldest_waiting_seconds', { queue })).toBeGreaterThanOrEqual(0);
    }
    const decisions = text.split('\n').filter((l) => l.startsWith('cad_dispatch_decisions_total{'));
    expect(decisions.reduce((n, l) => n + Number(l.split(' ').pop()), 0)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cad_dispatch_decisions_total', { kind: 'allocator' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cad_escalations_total', { direction: 'up', reason: 'manual' })).toBe(1);
    expect(sample(text, 'cad_sockets_connected')).toBe(0);
    expect(sample(text, 'cad_event_relay_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'cad_event_relay_lag_events')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'cad_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('a refused POST /api/calls is timed under its status, and a rolled-back escalation counts nothing', async () => {
    expect((await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 137, lon: -122.4 })).status).toBe(400);
    const before = await scrape();
    expect(sample(before, 'cad_call_accept_seconds_count', { status: '400' })).toBe(1);
    const manual = () => sample(before, 'cad_escalations_total', { direction: 'up', reason: 'manual' }) ?? 0;
    const events = t.app.get(EventsService);
    const escalated = { type: 'incident.escalated' as const, jurisdictionIds: ['sf'], at: new Date(), actor: 'test', payload: { incidentId: 'i1', fromTier: 'district' as const, toTier: 'city' as const, toJurisdictionId: 'sf', reason: 'manual', revision: 1 } };
    await expect(
      t.ds.transaction(async (m) => {
        await events.append(m, escalated);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(sample(await scrape(), 'cad_escalations_total', { direction: 'up', reason: 'manual' })).toBe(manual());
    await t.ds.transaction((m) => events.append(m, { ...escalated, payload: { ...escalated.payload, reason: 'a reason of any length or form, not a label' } }));
    const after = await scrape();
    expect(sample(after, 'cad_escalations_total', { direction: 'up', reason: 'manual' })).toBe(manual());
    expect(sample(after, 'cad_escalations_total', { direction: 'up', reason: 'other' })).toBe(1);
  });

  it('serves only the loopback without a token, and only the right bearer with one', () => {
    expect(metricsRefusal(undefined, '127.0.0.1', undefined)).toBeNull();
    expect(metricsRefusal(undefined, '::ffff:127.0.0.1', undefined)).toBeNull();
    expect(metricsRefusal(undefined, '10.0.0.7', undefined)?.status).toBe(403);
    expect(metricsRefusal(undefined, undefined, undefined)?.status).toBe(403);
    const token = 'a-metrics-token-of-32-characters';
    expect(metricsRefusal(token, '10.0.0.7', `Bearer ${token}`)).toBeNull();
    expect(metricsRefusal(token, '127.0.0.1', undefined)?.status).toBe(401);
    expect(metricsRefusal(token, '127.0.0.1', `Bearer ${token.slice(0, -1)}`)?.status).toBe(401);
    expect(metricsRefusal(token, '127.0.0.1', `Bearer ${token}x`)?.status).toBe(401);
  });

  it("serves a worker's metrics on its own port, and a worker whose port is taken keeps running without", async () => {
    const log = pino({ level: 'silent' });
    const metrics = t.app.get(MetricsService);
    const first = await serveMetrics(metrics, { host: '127.0.0.1', port: 0, log });
    expect(first).not.toBeNull();
    const port = (first!.address() as { port: number }).port;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('cad_job_duration_seconds');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      expect(await serveMetrics(metrics, { host: '127.0.0.1', port, log })).toBeNull();
    } finally {
      await new Promise((r) => first!.close(r));
    }
  });
});
