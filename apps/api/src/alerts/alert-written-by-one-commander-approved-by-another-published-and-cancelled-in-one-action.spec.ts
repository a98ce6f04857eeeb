import { XMLParser } from 'fast-xml-parser';
import { startTestApp, TestApp } from '../testing/test-app';
import { CapValidator } from './cap/cap-validator';
import { AlertsRepository } from './alerts.repository';
import { PublicAlertsService } from './public-alerts.service';
import { draftFromTemplate } from './templates';

/** A gas leak evacuation over one district, in English and Chinese, from the template. */
const gasLeakOver = (jurisdictionId: string, status: 'Actual' | 'Exercise' = 'Actual') => draftFromTemplate('gas-leak-evacuation', status, { jurisdictionId });

const atom = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'entry' });

describe('a public alert: written by one commander, approved by another, published, updated and cancelled in one action', () => {
  let t: TestApp;
  let second: string;
  let district: { id: string; name: string };
  let validator: CapValidator;
  beforeAll(async () => {
    t = await startTestApp('alerts-issue', { PUBLIC_CACHE_S: '60' });
    second = await t.signIn('commander2');
    [district] = await t.ds.query(`SELECT id, name FROM jurisdiction WHERE level = 'district' ORDER BY id LIMIT 1`);
    validator = t.app.get(CapValidator);
  });
  afterAll(async () => {
    await t?.close();
  });

  const publicJson = async () => (await fetch(`${t.url}/public/alerts.json`)).json();

  it('the author alone cannot issue an Actual alert; the second commander can, and residents see it without signing in', async () => {
    const draft = await t.request('POST', '/api/alerts', gasLeakOver(district.id));
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ state: 'pending', status: 'Actual', msgType: 'Alert', author: 'commander', sent: null, areaDesc: district.name });
    expect((await publicJson()).alerts).toEqual([]);

    const self = await t.request('POST', `/api/alerts/${draft.body.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/^approver: an Actual alert needs a second commander/);

    const dispatcher = await t.signIn(district.id.replace(/^sf-/, ''));
    expect((await t.request('POST', `/api/alerts/${draft.body.id}/approve`, undefined, dispatcher)).status).toBe(403);

    const issued = await t.request('POST', `/api/alerts/${draft.body.id}/approve`, undefined, second);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ state: 'issued', approver: 'commander2' });
    expect(issued.body.sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00$/);
    // The approval is on the audit record, by the approver (the refused self-approval changed nothing).
    const approvals = (await t.request('GET', `/api/audit?action=alert.approve&subject=alert:${draft.body.id}`)).body as { actor: string }[];
    expect(approvals).toHaveLength(1);
    expect(approvals[0].actor).toContain('commander2');

    const xml = await (await fetch(`${t.url}/api/alerts/${draft.body.id}/cap`, { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(await validator.schemaErrors(xml, '1.2')).toEqual([]);
    expect(xml).toContain('<scope>Public</scope>');
    expect(xml).toContain('<language>zh-CN</language>');
    // Each language's info block is one phone message: its area has at most 100 vertices (WEA).
    const firstInfo = xml.split('</info>')[0];
    const vertices = [...firstInfo.matchAll(/<polygon>([^<]*)<\/polygon>/g)].reduce((n, m) => n + m[1].split(' ').length, 0);
    expect(vertices).toBeGreaterThanOrEqual(4);
    expect(vertices).toBeLessThanOrEqual(100);

    const page = await publicJson();
    expect(page.alerts).toHaveLength(1);
    expect(page.alerts[0].infos.map((i: { language: string }) => i.language)).toEqual(['en-US', 'zh-CN']);
    expect(page.alerts[0].geometry.type).toMatch(/Polygon|GeometryCollection/);

    const feed = await fetch(`${t.url}/public/alerts.atom`);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const doc = atom.parse(await feed.text());
    expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(doc.feed.entry).toHaveLength(1);
    const href = doc.feed.entry[0].link['@_href'];
    expect(href).toBe(`/public/alerts/${draft.body.id}.cap`);
    const own = await fetch(`${t.url}${href}`);
    expect(own.headers.get('content-type')).toMatch(/application\/cap\+xml/);
    expect(await own.text()).toBe(xml);
  });

  it('an update supersedes the alert with references; cancelling is one action by any commander, leaves the page and stays in the feed', async () => {
    const [first] = (await t.request('GET', '/api/alerts?direction=issued')).body.filter((a: { state: string }) => a.state === 'issued');
    const body = gasLeakOver(district.id);
    body.infos[0].headline = 'Gas leak: evacuation extended';
    const update = await t.request('POST', `/api/alerts/${first.id}/update`, body, second);
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ msgType: 'Update', previousId: first.id, state: 'pending' });
    expect((await t.request('POST', `/api/alerts/${update.body.id}/approve`, undefined, second)).status).toBe(403);
    const issued = await t.request('POST', `/api/alerts/${update.body.id}/approve`);
    expect(issued.status).toBe(200);
    expect(issued.body.references).toBe(`city-cad,${first.identifier},${first.sent}`);
    expect((await t.request('GET', `/api/alerts/${first.id}`)).body.state).toBe('superseded');
    const page = await publicJson();
    expect(page.alerts.map((a: { id: string }) => a.id)).toEqual([update.body.id]);

    const cancel = await t.request('POST', `/api/alerts/${update.body.id}/cancel`, { reason: 'The leak is stopped.' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ msgType: 'Cancel', state: 'issued', author: 'commander', approver: 'commander', previousId: update.body.id });
    expect(cancel.body.references.split(' ')).toEqual([`city-cad,${first.identifier},${first.sent}`, `city-cad,${issued.body.identifier},${issued.body.sent}`]);
    const xml = await (await fetch(`${t.url}/public/alerts/${cancel.body.id}.cap`)).text();
    expect(await validator.schemaErrors(xml, '1.2')).toEqual([]);
    expect(xml).toContain('<msgType>Cancel</msgType>');
    expect(xml).toContain('已取消：');
    expect((await publicJson()).alerts).toEqual([]);
    const feed = atom.parse(await (await fetch(`${t.url}/public/alerts.atom`)).text());
    expect(feed.feed.entry.map((e: { category: { '@_term': string } }) => e.category['@_term'])).toEqual(['Cancel', 'Update', 'Alert']);

    // Cancelled twice (two commanders pressing at once, or a retry): the second is told, nothing more is sent.
    const again = await t.request('POST', `/api/alerts/${update.body.id}/cancel`, {}, second);
    expect(again.status).toBe(409);
    expect((await t.request('POST', `/api/alerts/${first.id}/update`, gasLeakOver(district.id))).status).toBe(409);
  });

  it('two commanders approving the same draft at once: exactly one issues it', async () => {
    const draft = await t.request('POST', '/api/alerts', gasLeakOver(district.id), second);
    const third = await t.signIn('commander');
    const results = await Promise.all([t.request('POST', `/api/alerts/${draft.body.id}/approve`, undefined, third), t.request('POST', `/api/alerts/${draft.body.id}/approve`, undefined, third)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await t.request('POST', `/api/alerts/${draft.body.id}/cancel`, {})).status).toBe(200);
  });

  it('a drill alert (Exercise) is issued by its author alone and never reaches the live public page or feed', async () => {
    const draft = await t.request('POST', '/api/alerts', gasLeakOver(district.id, 'Exercise'));
    const issued = await t.request('POST', `/api/alerts/${draft.body.id}/approve`);
    expect(issued.status).toBe(200);
    const xml = await (await fetch(`${t.url}/api/alerts/${draft.body.id}/cap`, { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(xml).toContain('<status>Exercise</status>');
    expect(await validator.schemaErrors(xml, '1.2')).toEqual([]);
    expect((await publicJson()).alerts.find((a: { id: string }) => a.id === draft.body.id)).toBeUndefined();
    expect(await (await fetch(`${t.url}/public/alerts.atom`)).text()).not.toContain(draft.body.id);
    expect((await fetch(`${t.url}/public/alerts/${draft.body.id}.cap`)).status).toBe(404);
    // An update cannot turn a drill into a real alert.
    const update = await t.request('POST', `/api/alerts/${draft.body.id}/update`, gasLeakOver(district.id, 'Actual'));
    expect(update.status).toBe(400);
    expect(update.body.message).toMatch(/^status:/);
  });

  it('a draft that would not be valid CAP is refused with 400 naming the field; observers and dispatchers cannot write', async () => {
    const open = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), area: { polygon: [[37.8, -122.42], [37.81, -122.42], [37.81, -122.41], [37.805, -122.41]] } });
    expect(open.status).toBe(400);
    expect(open.body.message).toMatch(/polygon\[0\]: must be closed/);
    const swapped = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), area: { polygon: [[-122.42, 37.8], [-122.42, 37.81], [-122.41, 37.81], [-122.42, 37.8]] } });
    expect(swapped.status).toBe(400);
    expect(String(swapped.body.message)).toMatch(/^area\.polygon must be a list of \[lat, lon\] points/);
    const past = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), effective: new Date(Date.now() + 7200_000).toISOString(), expires: new Date(Date.now() + 3600_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/expires: must be after effective/);
    const both = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), area: { jurisdictionId: district.id, circle: { lat: 37.8, lon: -122.42, radiusKm: 1 } } });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/^area: give exactly one/);
    const noRadius = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), area: { circle: { lat: 37.8, lon: -122.42, radiusKm: 0 } } });
    expect(noRadius.status).toBe(400);
    expect(String(noRadius.body.message)).toMatch(/radiusKm/);
    const circle = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), area: { circle: { lat: 37.8, lon: -122.42, radiusKm: 0.5 }, areaDesc: 'Around 2000 Chestnut St' } });
    expect(circle.status).toBe(201);
    expect((await t.request('POST', '/api/alerts', gasLeakOver(district.id), await t.signIn('observer'))).status).toBe(403);
    expect((await t.request('POST', '/api/alerts', gasLeakOver(district.id), await t.signIn(district.id.replace(/^sf-/, '')))).status).toBe(403);
  });

  it('a draft approved after its expiry is refused naming expires, and stays pending; an unknown incident is refused naming incidentId', async () => {
    const soon = { ...gasLeakOver(district.id), expires: new Date(Date.now() + 3000).toISOString() };
    const draft = await t.request('POST', '/api/alerts', soon);
    expect(draft.status).toBe(201);
    await new Promise((r) => setTimeout(r, 3500));
    const late = await t.request('POST', `/api/alerts/${draft.body.id}/approve`, undefined, second);
    expect(late.status).toBe(400);
    expect(late.body.message).toMatch(/^info\[0\]\.expires: must be after effective/);
    expect((await t.request('GET', `/api/alerts/${draft.body.id}`)).body.state).toBe('pending');
    const ghost = await t.request('POST', '/api/alerts', { ...gasLeakOver(district.id), incidentId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.status).toBe(400);
    expect(ghost.body.message).toMatch(/^incidentId: no incident/);
  });

  it('a flood of public readers costs the record one query per cache period', async () => {
    const repo = t.app.get(AlertsRepository);
    const spy = jest.spyOn(repo, 'publicMessages');
    t.app.get(PublicAlertsService).invalidate();
    await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${t.url}/public/alerts.${i % 2 ? 'json' : 'atom'}`).then((r) => r.text())));
    expect(spy.mock.calls.length).toBe(1);
    const r = await fetch(`${t.url}/public/alerts.json`);
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await fetch(`${t.url}/public/alerts.json`, { headers: { 'if-none-match': r.headers.get('etag')! } })).status).toBe(304);
    spy.mockRestore();
  });
});
