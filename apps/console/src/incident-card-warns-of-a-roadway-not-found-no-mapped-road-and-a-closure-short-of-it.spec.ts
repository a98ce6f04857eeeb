import zh from '@cad/i18n/locales/zh-CN.json';
import { addLocales, setLocale } from './i18n';
import { OFF_NETWORK_M, roadWarnings } from './positions';
import { anIncident } from './testing/views';

/**
 * What an independent tester saw: a collision naming a roadway that is not there, a P1 6 km from the
 * nearest road of the road data, and a P1 behind a closure 1.8 km short of it were all shown with an
 * ordinary ETA and nothing else. The incident card now says each: the roadway not found and where units
 * go instead, no mapped road (the ETA ends at the nearest one), and units stopping short of a closure
 * (the rest on foot), in the viewer's language. An incident on a road says nothing.
 */
beforeAll(() => {
  Object.assign(globalThis, { navigator: { languages: ['en'], language: 'en' } });
  addLocales({ 'locales/zh-CN.json': zh });
});
afterEach(() => setLocale('en', false));

const access = { lat: 37.8, lon: -122.41, distanceMetres: 12, road: 'Lombard Street', surface: true, besideClosure: null, roadwayNotFound: null };

describe('the incident card', () => {
  it('says nothing for an incident on a mapped road', () => {
    expect(roadWarnings(anIncident({ access }))).toEqual([]);
    expect(roadWarnings(anIncident({ access: null }))).toEqual([]);
  });

  it('names a roadway not found, no mapped road near, and a closure stopping units short', () => {
    const [roadway] = roadWarnings(anIncident({ access: { ...access, roadwayNotFound: 'Narnia Rd' } }));
    expect(roadway).toContain('ROADWAY NOT FOUND');
    expect(roadway).toContain('Narnia Rd');
    expect(roadway).toContain('Lombard Street');
    const [far] = roadWarnings(anIncident({ access: { ...access, distanceMetres: 5929 } }));
    expect(far).toContain('NO MAPPED ROAD HERE');
    expect(far).toContain('5929 m');
    expect(roadWarnings(anIncident({ access: { ...access, distanceMetres: OFF_NETWORK_M } }))).toEqual([]);
    const [cut] = roadWarnings(anIncident({ access: { ...access, besideClosure: { lat: 37.79, lon: -122.4, remainingMetres: 1838.5 } } }));
    expect(cut).toContain('1839 m');
    expect(cut).toContain('on foot');
  });

  it('says them in Chinese with no English word left but the names', () => {
    setLocale('zh-CN', false);
    const all = roadWarnings(anIncident({ access: { ...access, roadwayNotFound: 'Narnia Rd', distanceMetres: 900, besideClosure: { lat: 37.79, lon: -122.4, remainingMetres: 400 } } }));
    expect(all).toHaveLength(3);
    for (const w of all) expect(w.replace(/Narnia Rd|Lombard Street|class="[^"]*"|<\/?p[^>]*>/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });
});
