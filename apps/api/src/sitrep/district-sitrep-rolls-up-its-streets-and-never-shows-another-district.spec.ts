import { JurisdictionIndex, localDateOf } from '@cad/domain';
import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../testing/test-app';
import { BriefingsService } from './briefings.service';

/**
 * A district's situation report counts its own streets' incidents and damage (the newest version of
 * each report), rolled up street → district → city; another district's reader is refused it, and the
 * daily briefing of each district and the city is produced once per local date and read only within
 * the reader's post.
 */
describe('situation report per tier: damage rolled up from streets, scoped to the reader', () => {
  let t: TestApp;
  const casualties = (immediate: number, deceased = 0) => ({ immediate, delayed: 0, minor: 0, deceased });
  const base = { displaced: 0, buildingsDamaged: 0, buildingsDestroyed: 0 };
  // Chinatown and North Beach (district 3), Marina (district 2): points of calls of the data set.
  const points = { chinatown: { lat: 37.79851, lon: -122.40977 }, northBeach: { lat: 37.80805, lon: -122.40988 }, marina: { lat: 37.80516, lon: -122.43296 } };
  let place: Record<keyof typeof points, { streetId: string; districtId: string }>;
  let incidents: Record<keyof typeof points, any>;
  let briefingTime: string;
  let briefingNow: Date;

  beforeAll(async () => {
    // The briefing time: the next minute but one in the city's zone, so calls taken now fall in the briefing's period.
    briefingNow = new Date(Date.now() + 150_000);
    briefingTime = DateTime.fromJSDate(new Date(briefingNow.getTime() - 60_000), { zone: 'America/Los_Angeles' }).toFormat('HH:mm');
    t = await startTestApp('sitrep', { BRIEFING_LOCAL_TIME: briefingTime });
    const index = t.app.get(JurisdictionIndex);
    place = Object.fromEntries(Object.entries(points).map(([k, p]) => [k, index.locate(p.lat, p.lon)])) as unknown as typeof place;
    incidents = {} as typeof incidents;
    for (const [k, p] of Object.entries(points) as [keyof typeof points, { lat: number; lon: number }][]) {
      const c = await t.request('POST', '/api/calls', { type: 'Medical Incident', priority: 2, ...p });
      expect(c.status).toBe(202);
      incidents[k] = await t.incidentOf(c.body.id, true);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the test points lie in two streets of one district and one of another', () => {
    expect(place.chinatown.districtId).toBe(place.northBeach.districtId);
    expect(place.chinatown.streetId).not.toBe(place.northBeach.streetId);
    expect(place.marina.districtId).not.toBe(place.chinatown.districtId);
  });

  it('damage reports are versioned: a correction is the next version, a stale base is refused, bad counts name the field', async () => {
    const v1 = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: incidents.chinatown.id, casualties: casualties(1), ...base, displaced: 10 });
    expect(v1.status).toBe(201);
    expect(v1.body.version).toBe(1);
    const road = { type: 'LineString', coordinates: [[-122.4098, 37.7985], [-122.4090, 37.7990]] };
    const v2 = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: incidents.chinatown.id, baseVersion: 1, casualties: casualties(3), ...base, displaced: 25, buildingsDamaged: 2, blockedRoads: [road], lifelinesOut: ['power'] });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, streetId: place.chinatown.streetId, author: 'commander' });
    expect(v2.body.figures.roadsBlocked).toBe(1);
    expect(v2.body.closureOffers[0].geometry).toEqual(road);
    const stale = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: incidents.chinatown.id, baseVersion: 1, casualties: casualties(0), ...base });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/^baseVersion: .* at version 2/);
    const negative = await t.request('POST', '/api/sitrep/damage-reports', { incidentId: incidents.chinatown.id, casualties: { ...casualties(0), minor: -1 }, ...base });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body.message)).toContain('casualties.minor must be 0 or more');
    const badRoad = await t.request('POST', '/api/sitrep/damage-reports', { streetId: place.northBeach.streetId, casualties: casualties(0), ...base, blockedRoads: [{ type: 'LineString', coordinates: [[37.8, -122.4], [37.8, -122.41]] }] });
    expect(badRoad.status).toBe(400);
    expect(JSON.stringify(badRoad.body.message)).toContain('blockedRoads[0]');
    const history = await t.request('GET', `/api/sitrep/damage-reports?incidentId=${incidents.chinatown.id}`);
    expect(history.body.map((r: any) => r.version)).toEqual([2, 1]);
    const audit = await t.ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'damage-report.file'`);
    expect(audit[0].n).toBe(2);
  });

  it("a district's report rolls up its streets; another district's reader is refused it and sees none of its numbers", async () => {
    const d = place.chinatown.districtId;
    const dispatcher = await t.signIn(d.replace(/^sf-/, ''));
    const other = await t.signIn(place.marina.districtId.replace(/^sf-/, ''));
    // A street post files a report on its street; a crew-less report in the other district too.
    const street = await t.request('POST', '/api/sitrep/damage-reports', { streetId: place.northBeach.streetId, casualties: casualties(0, 1), ...base, buildingsDestroyed: 1, lifelinesOut: ['water'] }, await t.signIn(place.northBeach.streetId));
    expect(street.status).toBe(201);
    expect((await t.request('POST', '/api/sitrep/damage-reports', { incidentId: incidents.marina.id, casualties: casualties(7), ...base, displaced: 300 }, other)).status).toBe(201);
    // A street post cannot file on a street of another district.
    const outside = await t.request('POST', '/api/sitrep/damage-reports', { streetId: place.marina.streetId, casualties: casualties(1), ...base }, await t.signIn(place.northBeach.streetId));
    expect(outside.status).toBe(403);

    const r = await t.request('GET', '/api/sitrep', undefined, dispatcher);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ reportType: 'SituationReport', status: 'Actual', jurisdiction: { id: d, level: 'district' } });
    const s = r.body.summary;
    expect(s.incidents).toBe(2);
    expect(s.byType).toEqual({ 'Medical Incident': 2 });
    expect(s.damage.casualties).toEqual({ immediate: 3, delayed: 0, minor: 0, deceased: 1 }); // version 2 only, plus the street's
    expect(s.damage).toMatchObject({ displaced: 25, buildingsDamaged: 2, buildingsDestroyed: 1, roadsBlocked: 1, lifelinesOut: ['power', 'water'] });
    expect(s.damageReports).toBe(2);
    const streets = Object.fromEntries(s.children.map((c: any) => [c.jurisdictionId, c]));
    expect(streets[place.chinatown.streetId].damage.casualties.immediate).toBe(3);
    expect(streets[place.northBeach.streetId].damage.casualties.deceased).toBe(1);
    expect(JSON.stringify(r.body)).not.toContain(place.marina.districtId);

    const refused = await t.request('GET', `/api/sitrep?jurisdictionId=${d}`, undefined, other);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^jurisdictionId: /);
    const city = await t.request('GET', '/api/sitrep');
    expect(city.body.summary.damage.casualties.immediate).toBe(10);
    expect(city.body.summary.damage.displaced).toBe(325);
    expect(city.body.summary.incidents).toBeGreaterThanOrEqual(3);
    const bad = await t.request('GET', '/api/sitrep?from=2017-01-02T00:00:00Z&to=2017-01-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^from /);
  });

  it('the printable page carries the figures and charts drawn by Chart.js from the same origin', async () => {
    const dispatcher = await t.signIn(place.chinatown.districtId.replace(/^sf-/, ''));
    const res = await fetch(`${t.url}/api/sitrep/html`, { headers: { authorization: `Bearer ${dispatcher}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('Situation report');
    expect(html).toContain('<script src="/api/sitrep/assets/chart.umd.js"></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const js = await fetch(`${t.url}/api/sitrep/assets/chart.umd.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('Chart');
    expect((await fetch(`${t.url}/api/sitrep/html`)).status).toBe(401);
  });

  it('the daily briefing is produced once per district and city per local date, and read only within the post', async () => {
    const briefings = t.app.get(BriefingsService);
    expect(await briefings.produceDue('live', new Date(briefingNow.getTime() - 120_000))).toEqual([]); // before the local time
    const made = await briefings.produceDue('live', briefingNow);
    const [{ n: districts }] = await t.ds.query(`SELECT count(*)::int AS n FROM jurisdiction WHERE level IN ('city', 'district')`);
    expect(made.length).toBe(districts);
    expect(new Set(made.map((b) => b.localDate))).toEqual(new Set([localDateOf(briefingNow, 'America/Los_Angeles')]));
    // Again, and two workers at once: nothing more.
    const again = await Promise.all([briefings.produceDue('live', briefingNow), briefings.produceDue('live', new Date(briefingNow.getTime() + 3600_000))]);
    expect(again.flat()).toEqual([]);
    const d = place.chinatown.districtId;
    const mine = made.find((b) => b.jurisdictionId === d)!;
    const dispatcher = await t.signIn(d.replace(/^sf-/, ''));
    const list = await t.request('GET', '/api/sitrep/briefings', undefined, dispatcher);
    expect(list.body.map((b: any) => b.jurisdictionId)).toEqual([d]);
    const one = await t.request('GET', `/api/sitrep/briefings/${mine.id}`, undefined, dispatcher);
    expect(one.body.report).toMatchObject({ reportType: 'DailyBriefing', jurisdiction: { id: d } });
    expect(one.body.report.summary.incidents).toBe(2);
    expect(one.body.report.summary.damage.casualties.immediate).toBe(3);
    const other = await t.signIn(place.marina.districtId.replace(/^sf-/, ''));
    expect((await t.request('GET', `/api/sitrep/briefings/${mine.id}`, undefined, other)).status).toBe(404);
  });
});
