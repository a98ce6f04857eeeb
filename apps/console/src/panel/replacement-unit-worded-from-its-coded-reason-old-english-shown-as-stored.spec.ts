import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale } from '../i18n';
import { anEvent } from '../testing/views';
import { describeEvent } from './detail';

/**
 * A replacement for a crew that did not acknowledge is sent with the coded reason `not_acknowledged`
 * and the replaced unit in its own field: the console words it in the locale shown. Events stored
 * before the code carry the server's English (`replaces E02: not acknowledged`), shown as stored; a
 * dispatcher's own reason is shown as typed, even one that reads like the old English.
 */
const text = (html: string) => html.replace(/<[^>]+>/g, '');
const line = (payload: Parameters<typeof anEvent<'incident.resources_requested'>>[2]) => text(describeEvent(anEvent(1, 'incident.resources_requested', payload), new Map()));

describe('the timeline line of a replacement unit', () => {
  beforeAll(() => {
    Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
    addLocales({ 'locales/zh-CN.json': zh });
  });
  afterEach(() => setLocale('en', false));

  it('names the replaced unit in our words, in English and in Chinese', () => {
    const coded = { reason: 'not_acknowledged', replacesUnitId: 'E02', replacesAssignmentId: 'a1' };
    setLocale('en', false);
    expect(line(coded)).toBe('More units requested: replaces E02, which did not acknowledge in time');
    setLocale('zh-CN', false);
    expect(line(coded)).toContain('替换未及时确认的E02');
    expect(line(coded)).not.toMatch(/not|acknowledg/);
  });

  it('an old stored event keeps its English text, readable as it was written', () => {
    setLocale('zh-CN', false);
    expect(line({ reason: 'replaces E07: not acknowledged' })).toContain('replaces E07: not acknowledged');
  });

  it('a coded reason without the replaced unit says the code in our words, naming no unit', () => {
    expect(line({ reason: 'not_acknowledged' })).toBe('More units requested: not acknowledged in time');
  });

  it('a dispatcher’s own reason is shown as typed, never re-read as a code', () => {
    expect(line({ reason: 'second patient reported' })).toBe('More units requested: second patient reported');
    expect(line({ reason: 'replaces E09: not acknowledged', replacesUnitId: 'E01' })).toBe('More units requested: replaces E09: not acknowledged');
  });
});
