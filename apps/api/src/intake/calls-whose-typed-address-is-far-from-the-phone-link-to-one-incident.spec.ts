import { haversineMetres } from '@cad/routing';
import { startTestApp, TestApp } from '../testing/test-app';

/**
 * What an independent tester saw: twelve reports of one fire sent together, each typing "1000 Pine St"
 * from a phone about 400 m away, made twelve incidents and sent 21 units: the incident stands at the
 * typed address (the device point is kept and flagged, see the mismatch spec) while the duplicate check
 * looked only around each caller's phone. The same twelve calls without an address made one incident.
 * Now the check looks around the phone and around the typed address, against each incident's point and
 * the device point it keeps, so they make one incident; a different emergency at that address still
 * gets its own.
 */
describe('calls whose typed address is far from the phone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('address-far-dupes', { ACK_TIMEOUT_S: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  const geocode = async (q: string) => (await t.request('GET', `/api/geocode?q=${encodeURIComponent(q)}`)).body as { lat: number; lon: number };
  const incidentIdOf = async (callId: string): Promise<string> => (await t.incidentOf(callId, true)).id;

  it('links twelve concurrent reports of one fire at a typed address into one incident, dispatched once', async () => {
    const typed = await geocode('1000 Pine St');
    const phone = { lat: typed.lat - 0.0035, lon: typed.lon };
    expect(haversineMetres(phone.lat, phone.lon, typed.lat, typed.lon)).toBeGreaterThan(300);
    const posted = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: phone.lat + i * 0.00001, lon: phone.lon, address: '1000 Pine St' }),
      ),
    );
    for (const p of posted) expect(p.status).toBe(202);
    const ids = new Set(await Promise.all(posted.map((p) => incidentIdOf(p.body.id))));
    expect(ids.size).toBe(1);
    const [incidentId] = [...ids];
    const incident = (await t.request('GET', `/api/incidents/${incidentId}`)).body;
    expect(incident.locationUnconfirmed).toBe(true);
    expect([incident.lat, incident.lon]).toEqual([typed.lat, typed.lon]);
    const [{ linked }] = await t.ds.query(`SELECT count(*) FILTER (WHERE linked)::int AS linked FROM call WHERE incident_id = $1`, [incidentId]);
    expect(linked).toBe(11);
    // Dispatched once: no unit holds two tasks, and no second incident took units for this fire.
    const [{ incidents }] = await t.ds.query(`SELECT count(DISTINCT incident_id)::int AS incidents FROM call WHERE id = ANY($1)`, [posted.map((p) => p.body.id)]);
    expect(incidents).toBe(1);
  });

  it('links a later report typed at that address from the other side of it, and a report from beside the first phone with no address', async () => {
    const typed = await geocode('800 Sacramento St');
    const phone = { lat: typed.lat - 0.0035, lon: typed.lon };
    const first = await incidentIdOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, ...phone, address: '800 Sacramento St' })).body.id);
    const otherSide = { lat: typed.lat + 0.0035, lon: typed.lon };
    const second = await incidentIdOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, ...otherSide, address: '800 Sacramento St' })).body.id);
    expect(second).toBe(first);
    const beside = await incidentIdOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, lat: phone.lat + 0.0002, lon: phone.lon })).body.id);
    expect(beside).toBe(first);
  });

  it('still opens its own incident for a different emergency at the typed address, suggesting the link only', async () => {
    const typed = await geocode('1200 Pine St');
    const phone = { lat: typed.lat - 0.0035, lon: typed.lon };
    const fire = await incidentIdOf((await t.request('POST', '/api/calls', { type: 'Structure Fire', priority: 1, ...phone, address: '1200 Pine St' })).body.id);
    const medicalCall = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, ...phone, address: '1200 Pine St' });
    const medical = await incidentIdOf(medicalCall.body.id);
    expect(medical).not.toBe(fire);
    const [row] = await t.ds.query(`SELECT suggested_incident_id FROM call WHERE id = $1`, [medicalCall.body.id]);
    expect(row.suggested_incident_id).toBe(fire);
  });
});
