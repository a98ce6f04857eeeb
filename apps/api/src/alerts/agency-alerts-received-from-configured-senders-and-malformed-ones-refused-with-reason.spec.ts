import * as fs from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { capSchemaDir } from '../config/config';
import { startTestApp, TestApp } from '../testing/test-app';
import { AlertFeedsPoller } from './alert-feeds.poller';
import { CapValidator } from './cap/cap-validator';
import { capTime, writeCap } from './cap/cap-message';

const samples = path.resolve(capSchemaDir(process.env), 'samples');
const sample = (f: string) => fs.readFileSync(path.join(samples, f), 'utf8');
const TSUNAMI = 'tsunami-center@noaa.example';
const SENDERS = ['webmaster@rfs.nsw.gov.au', 'cap@ec.gc.ca', 'http://newwcatwc.arh.noaa.gov/tsuPortal/', 'http://earthquake.usgs.gov/research/monitoring/anss/neic/', 'w-nws.webmaster@noaa.gov', 'sender', TSUNAMI];

/** A tsunami warning (CAP 1.2) whose area covers San Francisco's northern waterfront, or a Cancel of one. */
function tsunami(identifier: string, msgType: 'Alert' | 'Cancel', sent: Date, references?: string): string {
  return writeCap({
    identifier,
    sender: TSUNAMI,
    sent: capTime(sent),
    status: 'Actual',
    msgType,
    scope: 'Public',
    references,
    infos: [
      {
        language: 'en-US',
        category: ['Geo'],
        event: 'Tsunami Warning',
        urgency: 'Immediate',
        severity: 'Extreme',
        certainty: 'Observed',
        expires: capTime(new Date(sent.getTime() + 6 * 3600_000)),
        headline: 'Tsunami warning for the San Francisco waterfront',
        areas: [{ areaDesc: 'San Francisco Bay shore', polygons: [[[37.795, -122.45], [37.815, -122.45], [37.815, -122.40], [37.795, -122.40], [37.795, -122.45]]], circles: [] }],
      },
    ],
  });
}

describe("other agencies' CAP alerts: received from configured senders, de-duplicated, applied by references, malformed ones refused", () => {
  let t: TestApp;
  let feedServer: Server;
  let feedHits = 0;
  const post = async (xml: string, type = 'application/cap+xml') => {
    const r = await fetch(`${t.url}/api/alerts/received`, { method: 'POST', headers: { 'content-type': type }, body: xml });
    return { status: r.status, body: await r.json() };
  };
  beforeAll(async () => {
    // Another agency's Atom feed: two entries linking to CAP messages (one of them repeated), one broken link.
    feedServer = createServer((req, res) => {
      feedHits++;
      const tsu = tsunami('tsu-feed', 'Alert', new Date(Date.UTC(2026, 0, 1)));
      const routes: Record<string, [string, string]> = {
        '/feed.atom': [
          'application/atom+xml',
          `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title><updated>2026-01-01T00:00:00Z</updated>
            <entry><id>urn:1</id><title>a</title><updated>2026-01-01T00:00:00Z</updated><link rel="alternate" type="application/cap+xml" href="/a.cap"/></entry>
            <entry><id>urn:2</id><title>b</title><updated>2026-01-01T00:00:00Z</updated><link href="b.cap"/></entry>
            <entry><id>urn:3</id><title>c</title><updated>2026-01-01T00:00:00Z</updated><link href="/missing.cap"/></entry></feed>`,
        ],
        '/a.cap': ['application/cap+xml', sample('weather.cap')],
        '/b.cap': ['application/cap+xml', tsu.replace('Tsunami Warning', 'Tsunami Advisory').replace('<severity>Extreme</severity>', '<severity>Minor</severity>')],
      };
      const hit = routes[req.url ?? ''];
      res.writeHead(hit ? 200 : 404, { 'content-type': hit?.[0] ?? 'text/plain' }).end(hit?.[1] ?? 'not found');
    });
    await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
    const feed = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.atom`;
    // RUN_WORKERS stays on but the poll period is long: the test drives the poller itself.
    t = await startTestApp('alerts-receive', { ALERT_TRUSTED_SENDERS: SENDERS.join(','), ALERT_FEEDS: feed, ALERT_FEED_POLL_S: '3600' });
  });
  afterAll(async () => {
    await t?.close();
    feedServer?.close();
  });

  it('the six valid agency samples (CAP 1.2 and 1.1) are received, each with its version; invalid.cap is refused naming scope', async () => {
    const expected: Record<string, string> = { 'australia.cap': '1.2', 'canada.cap': '1.2', 'wcatwc-warning.cap': '1.2', 'earthquake.cap': '1.1', 'weather.cap': '1.1', 'no_optional_fields.cap': '1.1' };
    for (const [file, version] of Object.entries(expected)) {
      const r = await post(sample(file));
      expect([file, r.status, r.body.version]).toEqual([file, 200, version]);
    }
    // no_optional_fields.cap has the very identity (sender, identifier, sent) of earthquake.cap: one message.
    // (The feed pulled at start-up may have brought weather.cap already: still one message.)
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM cap_alert WHERE direction = 'received' AND sender <> $1`, [TSUNAMI]);
    expect(n).toBe(5);
    const bad = await post(sample('invalid.cap'));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^scope: not valid CAP 1\.2/);
    const list = (await t.request('GET', '/api/alerts?direction=received')).body;
    const australia = list.find((a: { sender: string }) => a.sender === 'webmaster@rfs.nsw.gov.au');
    expect(australia.geometry).not.toBeNull();
    expect(australia.infos[0].headline).toBe('Yerong Creek Structure Fire');
    // None of these real messages is over San Francisco: none opened an incident.
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM call WHERE call_number LIKE 'CAP-%'`))[0].n).toBe(0);
  });

  it('the same message twice is stored once; a repeat changes nothing', async () => {
    const again = await post(sample('canada.cap'));
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
  });

  it('refuses, with the reason and never a 500: an unknown sender, a DOCTYPE (external entity), broken XML, not CAP, JSON, plain text', async () => {
    const stranger = await post(sample('australia.cap').replace('webmaster@rfs.nsw.gov.au', 'someone@example.org'));
    expect(stranger.status).toBe(403);
    expect(stranger.body.message).toMatch(/^sender: someone@example.org is not a configured sender/);
    const xxe = `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + sample('australia.cap').replace(/^<\?xml[^>]*>/, '').replace('Yerong Creek Structure Fire', '&x;');
    const refused = await post(xxe);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^DOCTYPE: /);
    const bomb = `<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&b;</alert>`;
    expect((await post(bomb)).status).toBe(400);
    const broken = await post(sample('weather.cap').slice(0, 400));
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^body: not well-formed XML/);
    const notCap = await post('<alert xmlns="urn:example:not-cap"><x/></alert>');
    expect(notCap.status).toBe(400);
    expect(notCap.body.message).toMatch(/^alert: namespace urn:example:not-cap/);
    expect((await post('', 'application/cap+xml')).status).toBe(400);
    const json = await post(JSON.stringify({ xml: sample('canada.cap') }), 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/^body: send the CAP message as XML/);
    expect((await post(sample('canada.cap'), 'text/plain')).status).toBe(415);
  });

  it('a tsunami warning over the city opens one incident; its Cancel cancels it in the record', async () => {
    const sent = new Date(Date.now() - 60_000);
    const warning = await post(tsunami('tsu-1', 'Alert', sent));
    expect(warning.status).toBe(200);
    expect(warning.body.callId).toEqual(expect.any(String));
    const incident = await t.incidentOf(warning.body.callId, true);
    expect(incident.type).toBe('CAP Tsunami Warning');
    expect(incident.priority).toBe(1);
    // The same warning again (a feed polled twice) opens nothing more.
    expect((await post(tsunami('tsu-1', 'Alert', sent))).body).toMatchObject({ duplicate: true, callId: null });
    const cancel = await post(tsunami('tsu-1-cancel', 'Cancel', new Date(), `${TSUNAMI},tsu-1,${capTime(sent)}`));
    expect(cancel.status).toBe(200);
    expect((await t.request('GET', `/api/alerts/${warning.body.id}`)).body.state).toBe('cancelled');
  });

  it('reordered delivery: a Cancel that arrives before its warning leaves the warning cancelled, and it opens no incident', async () => {
    const sent = new Date(Date.now() - 30_000);
    const cancel = await post(tsunami('tsu-2-cancel', 'Cancel', new Date(), `${TSUNAMI},tsu-2,${capTime(sent)}`));
    expect(cancel.status).toBe(200);
    const late = await post(tsunami('tsu-2', 'Alert', sent));
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ state: 'cancelled', callId: null });
  });

  it('pulls a configured Atom feed: each linked CAP message received once, a broken link skipped, polling again adds nothing', async () => {
    const poller = t.app.get(AlertFeedsPoller);
    // The poll at start-up may have run already; either way the feed's two messages are stored exactly once.
    await poller.pollAll();
    expect(feedHits).toBeGreaterThanOrEqual(4);
    const stored = await t.ds.query(`SELECT identifier FROM cap_alert WHERE identifier IN ('tsu-feed', 'NOAA-NWS-ALERTS-MT20100830100700TFXFlashFloodWatchTFX20100830180000MT') ORDER BY identifier`);
    expect(stored).toHaveLength(2);
    expect(await poller.pollAll()).toBe(0);
  });

  it("an incident opened by a received alert exports as schema-valid CAP 1.2 through the same writer", async () => {
    const [row] = await t.ds.query(`SELECT i.id FROM incident i JOIN call c ON c.incident_id = i.id WHERE c.call_number LIKE 'CAP-%' LIMIT 1`);
    const res = await fetch(`${t.url}/api/incidents/${row.id}/cap`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<scope>Restricted</scope>');
    expect(await t.app.get(CapValidator).schemaErrors(xml, '1.2')).toEqual([]);
  });
});
