import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * Three calls taken on a console while CAD was down arrive, from its outbox, after recovery: each
 * keeps the time it was taken, is marked taken offline (entered late, with its entry time), and the
 * one near an incident another console opened meanwhile is offered as its duplicate, not silently
 * doubled into a second response.
 */
describe('calls taken offline and sent when CAD is back', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('offline-calls');
  });
  afterAll(async () => {
    await t.close();
  });

  it('keep their original times, are marked entered late, and the duplicate is offered for linking', async () => {
    // Opened meanwhile on another console.
    const fire = await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 2, lat: 37.8010, lon: -122.4200 });
    const fireIncident = await t.incidentOf(fire.body.id, true);
    const now = Date.now();
    const taken = [
      { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045, receivedAt: new Date(now - 180_000).toISOString() },
      { type: 'Traffic Collision', priority: 2, lat: 37.7800, lon: -122.4150, receivedAt: new Date(now - 120_000).toISOString() },
      { type: 'Medical Incident', priority: 2, lat: 37.8011, lon: -122.4201, receivedAt: new Date(now - 60_000).toISOString() },
    ];
    const ids: string[] = [];
    for (const c of taken) {
      const r = await t.request('POST', '/api/calls', { ...c, source: 'hotline', takenOffline: true });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const incidents = [];
    for (const id of ids) incidents.push(await t.incidentOf(id, true));
    for (const [k, inc] of incidents.entries()) {
      const view = inc.calls.find((c: { id: string }) => c.id === ids[k]);
      expect(view).toMatchObject({ takenOffline: true, receivedAt: taken[k].receivedAt });
      expect(Date.parse(view.enteredAt)).toBeGreaterThan(Date.parse(view.receivedAt) + 50_000);
      // The incident dates from when the call was taken, not when it was typed in.
      expect(inc.receivedAt).toBe(taken[k].receivedAt);
    }
    // Entered in the order taken.
    const numbers = incidents.map((inc, k) => inc.calls.find((c: { id: string }) => c.id === ids[k]).callNumber as string);
    expect([...numbers].sort()).toEqual(numbers);
    // The third is offered as a duplicate of the fire opened meanwhile: suggested, never merged silently.
    const third = await waitFor(async () => {
      const r = await t.request('GET', `/api/calls/${ids[2]}`);
      return r.body?.incidentId ? r.body : null;
    }, 10000, 'the third call placed');
    expect(third.suggestedIncidentId).toBe(fireIncident.id);
    expect(third.incidentId).not.toBe(fireIncident.id);
    // A call entered normally is not marked.
    expect(fireIncident.calls[0]).toMatchObject({ takenOffline: false });
  });

  it('refuses a takenOffline that is not true or false, naming the field', async () => {
    const r = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.7935, lon: -122.4045, takenOffline: 'yes' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('takenOffline');
  });
});
