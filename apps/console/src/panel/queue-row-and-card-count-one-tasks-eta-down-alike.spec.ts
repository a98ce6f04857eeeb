import { NO_FEATURES } from '../features';
import { setLocale } from '../i18n';
import type { Incident } from '../types';
import { anAssignment, anIncident } from '../testing/views';
import { renderDetail } from './detail';
import { renderQueues, tickEtas, type QueueEls } from './incidents';

/**
 * One task, one ETA wherever it shows: the queue row and the incident card both count a task's ETA down
 * each second (before, the row kept the figure from dispatch while the crew's phone counted down).
 * Hostile twins: en route, the count is the travel left from the en-route time, not from dispatch; an
 * estimate that ran out says overdue, never 0:00; a task with no route estimate shows "—" and stays.
 */
const dispatchedAt = '2026-11-29T17:00:00.000Z';
const at = (s: number) => Date.parse(dispatchedAt) + s * 1000;

const incident = (task: Partial<Incident['assignments'][number]>): Incident =>
  anIncident({
    type: 'Structure Fire',
    status: 'dispatched',
    receivedAt: dispatchedAt,
    assignments: [anAssignment({ id: 'a1', unitId: 'E01', callsign: 'E01', capability: 'engine', status: 'dispatched', etaSeconds: 200, turnoutSeconds: 60, dispatchedAt, enRouteAt: null, ...task })],
  });

/**
 * A stand-in root for rendered HTML: each `eta-left` span becomes an element with its data attributes
 * (camel-cased, as `dataset` has them) and its text, which `tickEtas` rewrites.
 */
function spansOf(html: string): { root: HTMLElement; texts: () => string[] } {
  const spans = [...html.matchAll(/<span class="eta-left[^"]*"([^>]*)>([^<]*)<\/span>/g)].map((m) => {
    const dataset: Record<string, string> = {};
    for (const [, k, v] of m[1].matchAll(/data-([a-z-]+)="([^"]*)"/g)) dataset[k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
    return { dataset, textContent: m[2] };
  });
  return { root: { querySelectorAll: () => spans } as unknown as HTMLElement, texts: () => spans.map((s) => s.textContent) };
}

function queueRow(inc: Incident): string {
  const el = () => ({ innerHTML: '', textContent: '' }) as unknown as HTMLElement;
  const q: QueueEls = { pending: { list: el(), count: el() }, active: { list: el(), count: el() }, resolved: { list: el(), count: el() } };
  renderQueues(q, new Map([[inc.id, inc]]), { tier: '', jurisdictionId: '' }, null);
  return q.pending.list.innerHTML + q.active.list.innerHTML;
}

function card(inc: Incident): string {
  const el = { hidden: true, innerHTML: '', dataset: {} } as unknown as HTMLElement;
  renderDetail(el, inc, { timeline: undefined, recommendations: undefined, units: new Map(), features: { ...NO_FEATURES } });
  return el.innerHTML;
}

describe("the queue row and the card count one task's ETA down alike", () => {
  let now = at(0);
  /** Draws the row and the card at `drawnAt` s after dispatch, then at each later time ticks both and checks what each shows. */
  function shows(task: Partial<Incident['assignments'][number]>, drawnAt: number, seen: [s: number, row: string, card: string][]): void {
    now = at(drawnAt);
    const inc = incident(task);
    const row = spansOf(queueRow(inc));
    const cardSpans = spansOf(card(inc));
    for (const [s, rowText, cardText] of seen) {
      now = at(s);
      tickEtas(row.root);
      tickEtas(cardSpans.root);
      expect([row.texts(), cardSpans.texts(), s]).toEqual([[rowText], [cardText], s]);
    }
  }
  beforeAll(() => setLocale('en', false));
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('counts down from dispatch each second, in the row and on the card, then says overdue', () => {
    shows({}, 30, [
      [30, '2:50', 'ETA 2:50 (turnout 0:30 + travel 2:20)'],
      [90, '1:50', 'ETA 1:50 (turnout 0:00 + travel 1:50)'],
      [230, 'overdue', 'ETA overdue'],
    ]);
  });

  it('acknowledged (the crew has not left), both still count down from dispatch, the card as well as the row', () => {
    shows({ status: 'acknowledged' }, 30, [
      [30, '2:50', 'ETA 2:50 (turnout 0:30 + travel 2:20)'],
      [100, '1:40', 'ETA 1:40 (turnout 0:00 + travel 1:40)'],
    ]);
  });

  it('en route, counts the travel left from the en-route time, not from dispatch', () => {
    // Travel 140 s from en route at +80 s: 120 s left at +100 s (from dispatch it would be 100 s).
    shows({ status: 'en_route', enRouteAt: new Date(at(80)).toISOString() }, 100, [
      [100, '2:00', 'ETA 2:00'],
      [160, '1:00', 'ETA 1:00'],
    ]);
  });

  it('a task with no route estimate shows a dash and keeps it', () => {
    shows({ etaSeconds: null, turnoutSeconds: null }, 30, [
      [30, '—', 'ETA —'],
      [600, '—', 'ETA —'],
    ]);
  });
});
