import { reloadAckAlerts, noteAckEvent, setUpAckAlerts, ackAlertStats } from './ack-alerts';
import { loadCallRecord, noteCallRecordEvent, renderCallRecord } from './call-record';
import { hospitalsHtml, loadHospitals, noteHospitalEvent } from './hospitals';
import { refreshMessages, setUpMessages } from './responder/messages';
import { LatestRead, LiveRead } from './state/live-read';
import { anAssignment, anEvent, anIncident } from './testing/views';
import { held, settle, takeRequest } from './testing/requests-in-flight';
import { loadUnitMessages, noteUnitMessageEvent, renderUnitMessages, setUpUnitMessages } from './unit-messages';
import type { UnitMessageView } from '@cad/domain/unit-messages';

jest.mock('./api', () => {
  const h = jest.requireActual('./testing/requests-in-flight');
  return { request: (m: string, p: string, b?: unknown) => h.holdRequest(m, p, b) };
});
// Stylesheets are the bundler's business; jest has no loader for them.
jest.mock('./call-record.css', () => ({}));
jest.mock('./unit-messages.css', () => ({}));
jest.mock('./ack-alerts.css', () => ({}));
jest.mock('./alert', () => ({ beep: () => undefined }));
const drawnAlerts: string[][] = [];
jest.mock('./alert-overlay', () => ({
  AlertOverlay: class {
    draw(_title: string, rows: { key: string }[]) {
      drawnAlerts.push(rows.map((r) => r.key.split('@')[0]));
    }
  },
  incidentPlace: () => '',
}));

/**
 * The incident card's parts (crew messages, narrative, hospitals), the acknowledgement alerts and the
 * crew's messages on the phone are each read over REST and kept current by live events. A read can be
 * answered from before an event committed while the event arrives first, and reads can land out of
 * order: what came live is never lost to an older read, and only the latest read is shown.
 */
describe('a card read in flight keeps what came live meanwhile, and only the latest read lands', () => {
  let html = '';
  const detail = { addEventListener: () => undefined, querySelector: () => null, insertAdjacentHTML: (_w: string, h: string) => (html += h) } as unknown as HTMLElement;
  beforeAll(() => Object.assign(globalThis, { window: globalThis, document: { getElementById: () => null, activeElement: null } }));
  beforeEach(() => {
    held.length = 0;
    html = '';
  });
  const message = (state: UnitMessageView['state'], over: Partial<UnitMessageView> = {}): UnitMessageView => ({
    id: 'm1',
    unitId: 'E01',
    incidentId: 'i1',
    text: 'gas leak, stage north',
    sentBy: 'dispatcher',
    sentAt: '2026-11-29T17:00:00Z',
    deliveredAt: state === 'sent' ? null : '2026-11-29T17:00:05Z',
    readAt: state === 'read' ? '2026-11-29T17:00:09Z' : null,
    state,
    ...over,
  });

  it("crew messages: a read receipt that arrives while the card's messages load shows as read", async () => {
    const incident = anIncident({ status: 'dispatched', assignments: [anAssignment()] });
    loadUnitMessages(incident);
    const read = takeRequest('/api/units/E01/messages');
    noteUnitMessageEvent(anEvent(50, 'unit.message_receipt', message('read')));
    read.resolve([message('delivered')]);
    await settle();
    renderUnitMessages(detail, incident, true);
    expect(html).toContain('data-state="read"');
  });

  it('crew messages: a message sent about incident A never shows on the card of B, selected while it was sent', async () => {
    const submits: ((e: unknown) => void)[] = [];
    setUpUnitMessages({ addEventListener: (_t: string, l: (e: unknown) => void) => submits.push(l) } as unknown as HTMLElement, () => undefined, () => undefined);
    const a = anIncident({ id: 'iA', status: 'dispatched', assignments: [anAssignment({ incidentId: 'iA' })] });
    const b = anIncident({ id: 'iB', status: 'dispatched', assignments: [anAssignment({ id: 'a2', incidentId: 'iB', unitId: 'M07' })] });
    loadUnitMessages(a);
    takeRequest('/api/units/E01/messages').resolve([]);
    await settle();
    const form = { closest: () => form, querySelector: (s: string) => (s.startsWith('select') ? { value: 'E01' } : { value: 'use the north gate' }) };
    submits[0]({ target: form, preventDefault: () => undefined });
    const post = takeRequest('/api/units/E01/messages', 'POST');
    loadUnitMessages(b);
    takeRequest('/api/units/M07/messages').resolve([]);
    await settle();
    post.resolve(message('sent', { id: 'mA', incidentId: 'iA' }));
    await settle();
    renderUnitMessages(detail, b, true);
    expect(html).not.toContain('data-message-id="mA"');
  });

  it('narrative: an entry that arrives while the narrative loads is shown with it, in time order', async () => {
    loadCallRecord('i1', false);
    const read = takeRequest('/api/incidents/i1/narrative');
    noteCallRecordEvent(anEvent(60, 'incident.narrative', { id: '9', incidentId: 'i1', at: '2026-11-29T17:01:00Z', author: 'E01', text: 'caller has a weapon' }));
    read.resolve([{ id: '1', incidentId: 'i1', at: '2026-11-29T17:00:00Z', author: 'dispatcher', text: 'smoke seen' }]);
    await settle();
    renderCallRecord(detail, { id: 'i1' }, false);
    expect(html.indexOf('smoke seen')).toBeGreaterThan(-1);
    expect(html.indexOf('caller has a weapon')).toBeGreaterThan(html.indexOf('smoke seen'));
  });

  it('hospitals: a destination changed live while the card loads is the one shown', async () => {
    loadHospitals('i1');
    const list = takeRequest('/api/hospitals?');
    const chosen = takeRequest('/api/incidents/i1/hospitals');
    const choice = (name: string) => ({ incidentId: 'i1', assignmentId: 'a1', unitId: 'E01', hospital: { name, lat: 37.79, lon: -122.42 }, chosenBy: 'dispatcher', chosenAt: '2026-11-29T17:05:00Z' });
    noteHospitalEvent(anEvent(70, 'assignment.hospital', choice('St Mary (diverted)')));
    list.resolve({ hospitals: [{ name: 'General', lat: 37.76, lon: -122.41 }, { name: 'St Mary (diverted)', lat: 37.79, lon: -122.42 }] });
    chosen.resolve([choice('General')]);
    await settle();
    const card = hospitalsHtml(anIncident({ status: 'on_scene', assignments: [anAssignment({ status: 'on_scene' })] }), false);
    expect(card).toContain('St Mary (diverted)');
    expect(card).not.toMatch(/General[^<]*<\/b>/);
  });

  it('hospitals: offered only to a crew that transports (as on its phone); an engine or truck on scene is not, unless one was chosen', async () => {
    loadHospitals('i2');
    takeRequest('/api/hospitals?').resolve({ hospitals: [{ name: 'General', lat: 37.76, lon: -122.41 }] });
    takeRequest('/api/incidents/i2/hospitals').resolve([]);
    await settle();
    const types: Record<string, string> = { E02: 'ENGINE', T02: 'TRUCK', '52': 'MEDIC' };
    const incident = anIncident({
      id: 'i2',
      status: 'on_scene',
      assignments: [
        anAssignment({ id: 'a-engine', unitId: 'E02', capability: 'engine', status: 'on_scene' }),
        anAssignment({ id: 'a-truck', unitId: 'T02', capability: 'truck', status: 'on_scene' }),
        anAssignment({ id: 'a-medic', unitId: '52', capability: 'ambulance', status: 'on_scene' }),
        anAssignment({ id: 'a-unknown', unitId: 'X9', capability: 'als', status: 'on_scene' }),
      ],
    });
    const card = hospitalsHtml(incident, true, (id) => types[id]);
    expect(card).toContain('data-hospital-for="a-medic"');
    // A unit the console does not know is judged by its task: an ALS task transports.
    expect(card).toContain('data-hospital-for="a-unknown"');
    expect(card).not.toContain('a-engine');
    expect(card).not.toContain('a-truck');
    // Only engines and trucks on scene: no hospital box at all.
    const fire = anIncident({ id: 'i2', status: 'on_scene', assignments: [anAssignment({ id: 'a-engine', unitId: 'E02', capability: 'engine', status: 'on_scene' })] });
    expect(hospitalsHtml(fire, true, (id) => types[id])).toBe('');
    // An engine whose hospital was chosen (by an older console, or the API) still shows the choice.
    noteHospitalEvent(anEvent(80, 'assignment.hospital', { incidentId: 'i2', assignmentId: 'a-engine', unitId: 'E02', hospital: { name: 'General', lat: 37.76, lon: -122.41 }, chosenBy: 'dispatcher', chosenAt: '2026-11-29T17:05:00Z' }, { incidentId: 'i2' }));
    expect(hospitalsHtml(fire, true, (id) => types[id])).toContain('General');
  });

  it('acknowledgement alerts: an alert raised while the list is read stays (beeped once); one ended meanwhile stays ended', async () => {
    const setInterval0 = globalThis.setInterval;
    Object.assign(globalThis, { setInterval: () => 0 });
    try {
      setUpAckAlerts({ incident: () => undefined, toast: () => undefined, open: () => undefined });
      takeRequest('/api/ack-alerts').resolve([]);
      await settle();
      const overdue = { incidentId: 'i1', assignmentId: 'a9', unitId: 'M07', timeoutS: 60, alertedAt: '2026-11-29T17:01:00Z', replaceAt: '2099-01-01T00:00:00Z' };
      const first = reloadAckAlerts();
      const read1 = takeRequest('/api/ack-alerts');
      noteAckEvent(anEvent(110, 'assignment.ack_overdue', overdue));
      read1.resolve([]); // read before the alert was raised
      await first;
      expect(drawnAlerts[drawnAlerts.length - 1]).toEqual(['a9']);
      const second = reloadAckAlerts();
      const read2 = takeRequest('/api/ack-alerts');
      noteAckEvent(anEvent(111, 'assignment.updated', { incidentId: 'i1', assignment: anAssignment({ id: 'a9', status: 'acknowledged' }) }));
      read2.resolve([overdue]); // read before the crew acknowledged
      await second;
      expect(drawnAlerts[drawnAlerts.length - 1]).toEqual([]);
      expect(ackAlertStats.shown).toBe(1);
    } finally {
      Object.assign(globalThis, { setInterval: setInterval0 });
    }
  });

  it("the crew's phone: a message read while the list is refreshed stays read, and the older of two refreshes never lands", async () => {
    let click: (e: unknown) => void = () => undefined;
    const el = { innerHTML: '', hidden: false, addEventListener: (_t: string, l: (e: unknown) => void) => (click = l) } as unknown as HTMLElement;
    setUpMessages(el);
    let refresh = refreshMessages('E01', el);
    takeRequest('/api/units/E01/messages').resolve([message('delivered')]);
    await refresh;
    refresh = refreshMessages('E01', el);
    takeRequest('/api/units/E01/messages').resolve([message('delivered'), message('sent', { id: 'm2' })]);
    await settle();
    const delivered = takeRequest('/api/messages/m2/delivered');
    const button = { disabled: false, dataset: { readMessage: 'm1' } };
    click({ target: { closest: () => button } });
    takeRequest('/api/messages/m1/read').resolve(message('read'));
    await settle();
    delivered.resolve(message('delivered', { id: 'm2' }));
    await refresh;
    expect(el.innerHTML).toContain('data-message-id="m1" data-state="read"');
    expect(el.innerHTML).not.toContain('data-read-message="m1"');

    const older = refreshMessages('E01', el);
    const olderRead = takeRequest('/api/units/E01/messages');
    const newer = refreshMessages('E01', el);
    takeRequest('/api/units/E01/messages').resolve([message('read'), message('delivered', { id: 'm2' }), message('delivered', { id: 'm3' })]);
    await newer;
    olderRead.resolve([message('read'), message('delivered', { id: 'm2' })]);
    await older;
    expect(el.innerHTML).toContain('data-message-id="m3"');
  });

  it('LiveRead: select A, B, then A again: the first read of A landing last is dropped', async () => {
    const reads = new LiveRead<number>();
    let shown: number[] = [];
    const answers: ((v: number[]) => void)[] = [];
    const read = () => new Promise<number[]>((r) => answers.push(r));
    const a1 = reads.run(read, (v) => (shown = v), (live) => (shown = [...shown, ...live]));
    const b = reads.run(read, (v) => (shown = v), () => undefined);
    const a2 = reads.run(read, (v) => (shown = v), (live) => (shown = [...shown, ...live]));
    reads.note(9);
    answers[2]([1, 5, 8]);
    expect(await a2).toBe('adopted');
    answers[1]([100]);
    answers[0]([1, 5]);
    expect(await b).toBe('superseded');
    expect(await a1).toBe('superseded');
    expect(shown).toEqual([1, 5, 8, 9]);
  });

  it('LatestRead: a ticket stops being current when a later read starts or a write answers newer state', () => {
    const reads = new LatestRead();
    const poll = reads.start();
    const asked = reads.start();
    expect(reads.current(poll)).toBe(false);
    expect(reads.current(asked)).toBe(true);
    reads.invalidate();
    expect(reads.current(asked)).toBe(false);
    expect(reads.current(reads.start())).toBe(true);
  });
});
