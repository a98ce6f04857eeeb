import { startTestApp, TestApp, waitFor } from '../testing/test-app';

/**
 * What an independent tester saw: once units were rolling there was no route to change an
 * incident's location, no event for it and no alert to the crews. Now a dispatcher moves it: the
 * incident is placed again in the command chain, tasks re-routed, each crew's phone gets a LOCATION
 * CHANGED alert with the old and new address to acknowledge, the move is logged with who, and an
 * alert left unacknowledged alerts the dispatcher.
 */
describe('an incident moved after dispatch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('locationchange', { LOCATION_ACK_S: '2', RECONCILE_INTERVAL_S: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('re-places and re-routes it, alerts each crew, logs old, new and who; unacknowledged alerts reach the dispatcher', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 1, lat: 37.8005, lon: -122.4101, address: '550 Columbus Ave' });
    const incident = await t.incidentOf(call.body.id);
    const units: string[] = incident.assignments.map((a: { unitId: string }) => a.unitId);
    expect(units.length).toBe(2);
    const to = { lat: 37.7937, lon: -122.4265, address: '1900 Pacific Ave', reason: 'caller gave the wrong street' };
    const moved = await t.request('POST', `/api/incidents/${incident.id}/location`, to);
    expect(moved.status).toBe(200);
    expect(moved.body.incident).toMatchObject({ lat: to.lat, lon: to.lon, address: to.address });
    expect(moved.body.incident.street.id).not.toBe(incident.street.id);
    expect(moved.body.alerts.map((a: { unitId: string }) => a.unitId).sort()).toEqual([...units].sort());

    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body as { type: string; unitId: string; payload: any }[];
    const change = events.find((e) => e.type === 'incident.location_changed')!;
    expect(change.payload).toMatchObject({ old: { address: '550 Columbus Ave' }, new: { address: '1900 Pacific Ave' }, reason: to.reason, changedBy: 'commander' });
    expect(events.filter((e) => e.type === 'assignment.rerouted' && e.payload.reason === 'incident location changed')).toHaveLength(2);
    const alerted = events.filter((e) => e.type === 'assignment.location_alert').map((e) => e.unitId);
    expect(alerted.sort()).toEqual([...units].sort());

    // The first crew sees the alert on its phone and acknowledges it (twice: the same answer).
    const crew = await t.signIn(units[0].toLowerCase());
    const open = await t.request('GET', `/api/units/${units[0]}/location-alerts`, undefined, crew);
    expect(open.body).toHaveLength(1);
    expect(open.body[0]).toMatchObject({ old: { address: '550 Columbus Ave' }, new: { address: '1900 Pacific Ave' } });
    const ack = await t.request('POST', `/api/location-alerts/${open.body[0].id}/acknowledge`, {}, crew);
    expect(ack.status).toBe(200);
    const again = await t.request('POST', `/api/location-alerts/${open.body[0].id}/acknowledge`, {}, crew);
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    // Another crew cannot acknowledge it for them.
    const otherAlert = moved.body.alerts.find((a: { unitId: string }) => a.unitId === units[1]);
    expect((await t.request('POST', `/api/location-alerts/${otherAlert.id}/acknowledge`, {}, crew)).status).toBe(403);

    // The second crew stays silent: the dispatcher is alerted, once.
    await waitFor(async () => {
      const ev = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body as { type: string }[];
      return ev.some((e) => e.type === 'assignment.location_unacknowledged');
    }, 20000, 'the dispatcher alerted of the unacknowledged location');
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await t.request('GET', `/api/incidents/${incident.id}/events`)).body as { type: string; unitId: string }[];
    expect(after.filter((e) => e.type === 'assignment.location_unacknowledged').map((e) => e.unitId)).toEqual([units[1]]);
  });

  it('refuses a move without a reason, with swapped coordinates, or of a closed incident', async () => {
    const call = await t.request('POST', '/api/calls', { type: 'Alarms', priority: 3, lat: 37.7990, lon: -122.4350 });
    const incident = await t.incidentOf(call.body.id);
    const noReason = await t.request('POST', `/api/incidents/${incident.id}/location`, { lat: 37.8, lon: -122.41 });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.message)).toContain('reason');
    const swapped = await t.request('POST', `/api/incidents/${incident.id}/location`, { lat: -122.41, lon: 37.8, reason: 'x' });
    expect(swapped.status).toBe(400);
    expect((await t.request('POST', `/api/incidents/${incident.id}/cancel`, { disposition: 'test' })).status).toBe(200);
    const closed = await t.request('POST', `/api/incidents/${incident.id}/location`, { lat: 37.8, lon: -122.41, reason: 'late news' });
    expect(closed.status).toBe(409);
  });
});
