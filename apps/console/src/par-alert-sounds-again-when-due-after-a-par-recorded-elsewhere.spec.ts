import { parAlertStats, reloadParTimers, setUpParAlerts } from './par-alerts';
import { held, settle, takeRequest } from './testing/requests-in-flight';
import type { ParTimer } from '@cad/domain/unit-messages';

jest.mock('./api', () => {
  const h = jest.requireActual('./testing/requests-in-flight');
  return { request: (m: string, p: string, b?: unknown) => h.holdRequest(m, p, b) };
});
jest.mock('./alert', () => ({ beep: () => undefined }));
const drawn: string[][] = [];
let clickAlert: (target: unknown) => void = () => undefined;
jest.mock('./alert-overlay', () => ({
  AlertOverlay: class {
    constructor(_id: string, _cls: string, onClick: (target: unknown) => void) {
      clickAlert = onClick;
    }
    draw(_title: string, rows: { key: string }[]) {
      drawn.push(rows.map((r) => r.key.split('@')[0]));
    }
  },
  incidentPlace: () => '',
}));

/**
 * On-scene welfare (PAR) timers are read over REST whenever an event moves them. The alert must sound
 * every time a timer falls due, including after a PAR recorded on another console (only this console's
 * own "PAR done" used to re-arm it), and a read answered before "PAR done" must not bring the alert back.
 */
describe('a PAR alert sounds each time its timer falls due, and an older read never brings it back', () => {
  const timer = (dueAt: string): ParTimer => ({ incidentId: 'i1', intervalS: 600, onSceneAt: '2026-11-29T17:00:00Z', lastParAt: null, dueAt, overdue: true });
  const PAST = '2000-01-01T00:00:00Z';
  const FUTURE = '2099-01-01T00:00:00Z';

  beforeAll(() => Object.assign(globalThis, { window: globalThis, setInterval: () => 0, CSS: { escape: (s: string) => s } }));

  it('due, PAR recorded elsewhere, due again: two alerts; PAR done here, then an older read lands: no alert', async () => {
    held.length = 0;
    setUpParAlerts(() => undefined, () => undefined);
    takeRequest('/api/par').resolve([timer(PAST)]);
    await settle();
    expect(parAlertStats.shown).toBe(1);
    expect(drawn[drawn.length - 1]).toEqual(['i1']);

    // Another console records the PAR: the timer moves on (not due), then falls due again.
    let read = reloadParTimers();
    takeRequest('/api/par').resolve([timer(FUTURE)]);
    await read;
    expect(drawn[drawn.length - 1]).toEqual([]);
    read = reloadParTimers();
    takeRequest('/api/par').resolve([timer('2000-01-01T00:10:00Z')]);
    await read;
    expect(parAlertStats.shown).toBe(2);

    // A read goes out (an incident update), then the dispatcher presses PAR done here.
    const older = reloadParTimers();
    const olderRead = takeRequest('/api/par');
    clickAlert({ closest: () => ({ disabled: false, dataset: { parDone: 'i1' } }) });
    takeRequest('/api/incidents/i1/par', 'POST').resolve(timer(FUTURE));
    await settle();
    expect(drawn[drawn.length - 1]).toEqual([]);
    olderRead.resolve([timer('2000-01-01T00:10:00Z')]); // answered before the PAR
    await older;
    expect(drawn[drawn.length - 1]).toEqual([]);
    expect(parAlertStats.shown).toBe(2);
  });
});
