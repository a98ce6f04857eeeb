import * as fs from 'node:fs';
import * as path from 'node:path';
import { capSchemaDir, loadConfig } from '../config/config';
import { InvalidInput } from '../common/errors';
import { draftToCap, StoredDraft } from './alert-message';
import { boundaryToCapPolygons } from './cap/cap-geometry';
import { CapAlert, writeCap } from './cap/cap-message';
import { capRuleErrors } from './cap/cap-rules';
import { CapValidator, schemaErrorField } from './cap/cap-validator';
import { ALERT_TEMPLATES, draftFromTemplate } from './templates';

const schemaDir = capSchemaDir(process.env);
const validator = new CapValidator(loadConfig({ CAP_SCHEMA_DIR: schemaDir }));
const districts = JSON.parse(fs.readFileSync(path.resolve(process.env.DATA_DIR ?? '../shared/data/san-francisco', 'sf_supervisor_districts_2012.geojson'), 'utf8'));

/** A draft from a template, over a real district of the data set, in English and Chinese. */
const draftOf = (templateId: string): StoredDraft => ({
  ...draftFromTemplate(templateId, 'Actual', { jurisdictionId: 'sf-d2' }),
  resolvedArea: { areaDesc: 'District 2', polygons: boundaryToCapPolygons(districts.features[0].geometry), circles: [] },
});

const header = (msgType: 'Alert' | 'Update' | 'Cancel') => ({
  identifier: `cad-test-${msgType}`,
  sender: 'city-cad',
  senderName: 'City emergency command',
  sent: new Date(),
  msgType,
  references: msgType === 'Alert' ? undefined : 'city-cad,cad-test-Alert,2026-12-04T02:00:00-00:00',
});

describe('every CAP message the city writes is valid CAP 1.2, and a broken rule is refused naming the field', () => {
  it.each(ALERT_TEMPLATES.map((t) => t.id))('template %s issued, updated and cancelled validates against the OASIS schema', async (id) => {
    for (const msgType of ['Alert', 'Update', 'Cancel'] as const) {
      const cap = draftToCap(draftOf(id), header(msgType));
      const xml = await validator.writeValid(cap);
      expect(await validator.schemaErrors(xml, '1.2')).toEqual([]);
      expect(xml).toContain(`<msgType>${msgType}</msgType>`);
      expect(xml).toContain('<language>zh-CN</language>');
      expect(xml).not.toMatch(/<(sent|effective|expires)>[^<]*Z</);
      expect(xml).toMatch(/<sent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-00:00<\/sent>/);
      if (msgType !== 'Alert') expect(xml).toContain('<references>city-cad,cad-test-Alert,2026-12-04T02:00:00-00:00</references>');
    }
  });

  it('a district boundary of hundreds of points is simplified to at most 100 vertices (WEA) and stays closed, lat first', () => {
    const geometry = districts.features[0].geometry;
    expect(geometry.coordinates[0].length).toBeGreaterThan(500);
    const rings = boundaryToCapPolygons(geometry);
    expect(rings.reduce((n, r) => n + r.length, 0)).toBeLessThanOrEqual(100);
    for (const r of rings) {
      expect(r.length).toBeGreaterThanOrEqual(4);
      expect(r[0]).toEqual(r[r.length - 1]);
      expect(r[0][0]).toBeGreaterThan(37); // latitude first
      expect(r[0][1]).toBeLessThan(-122);
    }
  });

  const base = (): CapAlert => draftToCap(draftOf('flood'), header('Alert'));
  const refused = async (cap: CapAlert) => {
    const e = await validator.writeValid(cap).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidInput);
    return (e as Error).message;
  };

  it('an open polygon, one of 3 points, a swapped point, a circle without radius are refused naming the area element', async () => {
    const open = base();
    open.infos[0].areas = [{ areaDesc: 'x', polygons: [[[37.8, -122.4], [37.81, -122.4], [37.81, -122.41], [37.8, -122.41]]], circles: [] }];
    expect(await refused(open)).toMatch(/^info\[0\]\.area\[0\]\.polygon\[0\]: must be closed/);
    const three = base();
    three.infos[0].areas = [{ areaDesc: 'x', polygons: [[[37.8, -122.4], [37.81, -122.4], [37.8, -122.4]]], circles: [] }];
    expect(await refused(three)).toMatch(/polygon\[0\]: needs at least 4 points/);
    const swapped = base();
    swapped.infos[1].areas = [{ areaDesc: 'x', polygons: [[[-122.4, 37.8], [-122.4, 37.81], [-122.41, 37.81], [-122.4, 37.8]]], circles: [] }];
    expect(await refused(swapped)).toMatch(/^info\[1\]\.area\[0\]\.polygon\[0\]: point 0 is not lat,lon/);
    const circle = base();
    circle.infos[0].areas = [{ areaDesc: 'x', polygons: [], circles: [{ lat: 37.8, lon: -122.4, radiusKm: 0 }] }];
    expect(await refused(circle)).toMatch(/circle\[0\]: needs a radius/);
  });

  it('times in Z or +00:00, and an expiry not after the effective time, are refused naming the time', async () => {
    const z = base();
    z.sent = '2026-12-04T02:00:00Z';
    expect(await refused(z)).toMatch(/^sent: .*never Z/);
    const plus = base();
    plus.sent = '2026-12-04T02:00:00+00:00';
    expect(await refused(plus)).toMatch(/^sent: UTC is written -00:00/);
    const backwards = base();
    backwards.infos[0].effective = '2026-12-04T03:00:00-00:00';
    backwards.infos[0].expires = '2026-12-04T03:00:00-00:00';
    expect(await refused(backwards)).toMatch(/^info\[0\]\.expires: must be after effective/);
    const update = base();
    update.msgType = 'Cancel';
    expect(await refused(update)).toMatch(/^references: /);
  });

  it('what only the schema catches is refused naming the element: a bad urgency, a missing scope', async () => {
    const cap = base();
    cap.infos[0].urgency = 'Soon';
    expect(await refused(cap)).toMatch(/^urgency: not valid CAP 1\.2/);
    const noScope = writeCap(base()).replace(/<scope>Public<\/scope>\s*/, '');
    const errors = await validator.schemaErrors(noScope, '1.2');
    expect(errors[0].field).toBe('scope');
    expect(capRuleErrors(base())).toEqual([]);
    expect(schemaErrorField("Element 'sent': 'x' is not a valid value of the atomic type.")).toBe('sent');
  });
});
