import { EVENT_TYPES, type EventType } from '@cad/domain/events';
import { anEvent as event, loose } from '../testing/views';
import type { Unit } from '../types';
import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale, tHtml } from '../i18n';
import { describeEvent } from './detail';

/**
 * Every event type the server can append gets a timeline line in plain words, in English and in
 * Chinese: none falls back to the raw event name ("assignment ack overdue").
 */
const units = new Map<string, Unit>([['E02', { id: 'E02', callsign: 'E02', unitType: 'ENGINE', capabilities: ['engine'], status: 'dispatched', lat: 0, lon: 0, stationId: 'st-2' }]]);
/** Any event type, its payload naming incident i1 and unit E02 (the same fields for every type). */
const anEvent = (type: EventType, payload: Record<string, unknown> = {}) =>
  event(1, type, loose({ incidentId: 'i1', unitId: 'E02', reportedAt: '2026-12-04T10:00:00Z', ...payload }), { at: '2026-12-04T10:00:00Z', unitId: 'E02' });
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe.each(['en', 'zh-CN'])('timeline in %s', (locale) => {
  beforeAll(() => {
    // The page's browser is not here: the locale the test names is set right after.
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    addLocales({ 'locales/zh-CN.json': zh });
    setLocale(locale, false);
  });
  afterAll(() => setLocale('en', false));

  it.each(EVENT_TYPES.map((type) => [type]))('%s has a line of its own words', (type) => {
    const line = text(describeEvent(anEvent(type), units));
    expect(line).not.toBe(text(tHtml('timeline.other', { type: type.replace(/[._]/g, ' ') })));
    expect(line).not.toMatch(/[a-z]+[._][a-z_]+/);
    expect(line).not.toContain('{{');
  });

  it('says the reasons the server codes in our words, never its English detail', () => {
    const lines = [
      anEvent('incident.escalated', { fromTier: 'street', toTier: 'district', reason: 'plan_not_coverable', detail: 'no unit for truck in this tier' }),
      anEvent('assignment.updated', { assignment: { id: 'a1', unitId: 'E02', capability: 'engine', status: 'out_of_service' }, reason: 'not_acknowledged', detail: 'unit E02 did not acknowledge within 60 s' }),
      anEvent('incident.resources_requested', { reason: 'not_acknowledged', replacesUnitId: 'E02', replacesAssignmentId: 'a1' }),
    ].map((e) => text(describeEvent(e, units)));
    for (const line of lines) expect(line).not.toMatch(/no unit for truck|within 60 s|replaces E02:/);
    if (locale === 'zh-CN') for (const line of lines) expect(line.replace(/E02|ODbL/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });
});
