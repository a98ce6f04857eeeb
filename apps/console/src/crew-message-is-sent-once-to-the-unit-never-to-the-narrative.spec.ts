import { request } from './api';
import { loadCallRecord, setUpCallRecord } from './call-record';
import { anAssignment, anIncident } from './testing/views';
import { loadUnitMessages, renderUnitMessages, setUpUnitMessages } from './unit-messages';

jest.mock('./api', () => ({ request: jest.fn(async (method: string, path: string, body?: { text: string }) => (method === 'GET' ? [] : { id: 'm1', path, ...body })) }));
// Stylesheets are the bundler's business; jest has no loader for them.
jest.mock('./call-record.css', () => ({}));
jest.mock('./unit-messages.css', () => ({}));
const requests = request as jest.MockedFunction<typeof request>;

/**
 * The incident card holds two forms in one detail panel: the call record's narrative line and the
 * "Messages to crews" box. Both listen for `submit` on the panel, so a form that answered to both would
 * be sent twice: a crew message into the narrative as well. A crew message goes to its unit only, once;
 * a narrative entry goes to the narrative only.
 */
type Listener = (e: unknown) => void;
const listeners: Listener[] = [];
let html = '';
const detail = {
  addEventListener: (type: string, l: Listener) => type === 'submit' && listeners.push(l),
  querySelector: () => null,
  insertAdjacentHTML: (_where: string, h: string) => (html += h),
} as unknown as HTMLElement;

/** A stand-in for a form the card drew: its classes as drawn, its field's value `text`. */
function formDrawn(classes: string[], text: string) {
  const form = {
    classList: { contains: (c: string) => classes.includes(c) },
    closest: (selectors: string) => (selectors.split(',').some((s) => classes.includes(s.trim().replace(/^\./, ''))) ? form : null),
    querySelector: (sel: string) => (sel.startsWith('select') ? { value: 'E01' } : { value: text }),
  };
  return form;
}

async function submit(form: ReturnType<typeof formDrawn>): Promise<void> {
  for (const l of listeners) l({ target: form, preventDefault: () => undefined });
  await new Promise((r) => setTimeout(r, 0));
}
const posts = () => requests.mock.calls.filter(([method]) => method === 'POST').map(([, path, body]) => [path, body]);

beforeAll(() => {
  Object.assign(globalThis, { document: { getElementById: () => null, activeElement: null } });
  setUpCallRecord(detail, () => undefined, () => undefined);
  setUpUnitMessages(detail, () => undefined, () => undefined);
  const incident = anIncident({ status: 'dispatched', assignments: [anAssignment()] });
  loadCallRecord('i1', false);
  loadUnitMessages(incident);
  renderUnitMessages(detail, incident, true);
});
beforeEach(() => requests.mockClear());

it('sends a crew message once, to the unit, and never into the narrative', async () => {
  const classes = /<form class="([^"]+)"/.exec(html)![1].split(' ');
  await submit(formDrawn(classes, 'Use the north gate'));
  expect(posts()).toEqual([['/api/units/E01/messages', { text: 'Use the north gate', incidentId: 'i1' }]]);
});

it('sends a narrative entry to the narrative only, never to a crew', async () => {
  await submit(formDrawn(['cr-narrative-form'], 'Caller reports smoke'));
  expect(posts()).toEqual([['/api/incidents/i1/narrative', { text: 'Caller reports smoke' }]]);
});
