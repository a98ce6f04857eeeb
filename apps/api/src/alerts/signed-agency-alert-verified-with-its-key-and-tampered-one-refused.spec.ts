import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignedXml } from 'xml-crypto';
import { startTestApp, TestApp } from '../testing/test-app';
import { capTime, writeCap } from './cap/cap-message';
import { readSenderKeys } from './cap/cap-signature';

const KEYED = 'quake-center@usgs.example';
const OPEN = 'county-oem@example.org';

/** A CAP 1.2 earthquake alert over the northern waterfront (severity Moderate: it opens no incident). */
function quake(sender: string, identifier: string, headline = 'Strong shaking reported near the waterfront'): string {
  const sent = new Date(Date.UTC(2026, 11, 4, 9, 0, 0));
  return writeCap({
    identifier,
    sender,
    sent: capTime(sent),
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    infos: [
      {
        language: 'en-US',
        category: ['Geo'],
        event: 'Earthquake',
        urgency: 'Past',
        severity: 'Moderate',
        certainty: 'Observed',
        expires: capTime(new Date(sent.getTime() + 3600_000)),
        headline,
        areas: [{ areaDesc: 'Northern waterfront', polygons: [[[37.80, -122.43], [37.81, -122.43], [37.81, -122.41], [37.80, -122.41], [37.80, -122.43]]], circles: [] }],
      },
    ],
  });
}

/** Signs a whole message as an agency would: one enveloped RSA-SHA256 signature, reference URI "" , exclusive c14n. */
function sign(xml: string, privateKey: string, uri?: string): string {
  const sig = new SignedXml({
    privateKey,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: uri === undefined,
    uri,
  });
  sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

/**
 * Receiving (issue 23): a sender with a configured key (`ALERT_SENDER_KEYS`) must sign its CAP messages
 * with an enveloped XML-DSig signature of the whole message. The hostile twins: a message altered after
 * signing, one signed by another key, an unsigned one in the sender's name, a valid signature moved onto
 * another message, a signature covering only part of it: each is refused naming `Signature`, and nothing
 * of it is stored. A sender without a key keeps working (signed messages accepted as `unverified`).
 */
describe('signed agency alerts: verified with the sender key, tampered or unsigned ones refused', () => {
  let t: TestApp;
  const agency = pair();
  const attacker = pair();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cap-keys-'));
  const keyFile = path.join(dir, 'usgs.pem');
  fs.writeFileSync(keyFile, agency.publicKey);

  const post = async (xml: string) => {
    const r = await fetch(`${t.url}/api/alerts/received`, { method: 'POST', headers: { 'content-type': 'application/cap+xml' }, body: xml });
    return { status: r.status, body: await r.json() };
  };
  const stored = async (identifier: string) => (await t.ds.query(`SELECT count(*)::int AS n FROM cap_alert WHERE identifier = $1`, [identifier]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp('alerts-signed', { ALERT_TRUSTED_SENDERS: `${KEYED},${OPEN}`, ALERT_SENDER_KEYS: `${KEYED}=${keyFile}`, ALERT_FEED_POLL_S: '3600' });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a message signed with the sender key as verified, valid against the CAP 1.2 schema with its signature', async () => {
    const r = await post(sign(quake(KEYED, 'usgs-1'), agency.privateKey));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ duplicate: false, version: '1.2', signature: 'verified' });
    expect(await stored('usgs-1')).toBe(1);
  });

  it('refuses a signed message altered after signing, one signed by another key, and an unsigned one in the sender name', async () => {
    const tampered = sign(quake(KEYED, 'usgs-2'), agency.privateKey).replace('Strong shaking reported', 'No shaking reported');
    const forged = sign(quake(KEYED, 'usgs-3'), attacker.privateKey);
    const unsigned = quake(KEYED, 'usgs-4');
    for (const [xml, id] of [[tampered, 'usgs-2'], [forged, 'usgs-3'], [unsigned, 'usgs-4']] as const) {
      const r = await post(xml);
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(/^Signature: /);
      expect(await stored(id)).toBe(0);
    }
  });

  it('refuses a valid signature moved onto another message, and a signature that covers only part of it', async () => {
    const signedA = sign(quake(KEYED, 'usgs-5'), agency.privateKey);
    const signatureA = /<Signature[\s\S]*<\/Signature>/.exec(signedA)![0];
    const other = quake(KEYED, 'usgs-6', 'Evacuate the waterfront now').replace('</alert>', `${signatureA}</alert>`);
    const moved = await post(other);
    expect(moved.status).toBe(403);
    expect(moved.body.message).toMatch(/^Signature: /);

    // A second copy of the valid signature elsewhere is no longer one enveloped signature of the whole message.
    const twice = signedA.replace('</info>', `</info>${signatureA}`);
    expect((await post(twice)).status).toBe(400);

    const partial = sign(quake(KEYED, 'usgs-7').replace('<info>', '<info Id="i1">'), agency.privateKey, '#i1');
    const r = await post(partial);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^Signature: .*URI=""/);
    expect(await stored('usgs-5') + (await stored('usgs-6')) + (await stored('usgs-7'))).toBe(0);
  });

  it('a sender without a key keeps working: unsigned accepted as unsigned, signed as unverified', async () => {
    expect((await post(quake(OPEN, 'oem-1'))).body).toMatchObject({ signature: 'unsigned', duplicate: false });
    expect((await post(sign(quake(OPEN, 'oem-2'), attacker.privateKey))).body).toMatchObject({ signature: 'unverified', duplicate: false });
  });

  it('a key setting that cannot be read stops the start naming ALERT_SENDER_KEYS and the sender', () => {
    expect(() => readSenderKeys(`${KEYED}=${path.join(dir, 'missing.pem')}`)).toThrow(/ALERT_SENDER_KEYS: cannot read the key of quake-center@usgs.example/);
    expect(() => readSenderKeys('no-equals-sign')).toThrow(/ALERT_SENDER_KEYS: "no-equals-sign" is not sender=path-to-pem/);
    expect([...readSenderKeys(` ${KEYED}=${keyFile} `).keys()]).toEqual([KEYED]);
  });
});
