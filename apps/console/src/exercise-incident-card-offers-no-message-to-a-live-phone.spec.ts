// The card's stylesheet is Vite's to load; the console specs run in Node.
jest.mock('./unit-messages.css', () => ({}));
import { loadUnitMessages, renderUnitMessages } from './unit-messages';
import type { Incident } from './types';

/** A detail element stand-in: it keeps the HTML drawn into it (the console specs run without a DOM). */
function detail(): HTMLElement & { html: string } {
  const el = { html: '', querySelector: () => null, insertAdjacentHTML: (_where: string, html: string) => void (el.html += html) };
  return el as unknown as HTMLElement & { html: string };
}

const incident = (exercise: boolean): Incident =>
  ({ id: exercise ? 'drill-incident' : 'live-incident', exercise, drillId: exercise ? 'drill-1' : null, assignments: [{ unitId: 'T02', status: 'en_route' }] }) as unknown as Incident;

/**
 * The Exercise view's incident card: a drill's crews are simulated, so the "Messages to crews" box of
 * an exercise incident offers no send form (the API refuses it too), only a note saying why; a live
 * incident's card still offers the form to its units.
 */
describe('messages to crews on an exercise incident card', () => {
  it('shows the note and no form for a drill incident, and the form for a live one', async () => {
    for (const exercise of [true, false]) {
      const i = incident(exercise);
      loadUnitMessages({ ...i, assignments: [] });
      await new Promise((r) => setTimeout(r, 0));
      const el = detail();
      renderUnitMessages(el, i, true);
      if (exercise) {
        expect(el.html).toContain('um-drill');
        expect(el.html).not.toContain('um-form');
      } else {
        expect(el.html).toContain('<form class="um-form">');
        expect(el.html).toContain('<option value="T02"');
        expect(el.html).not.toContain('um-drill');
      }
    }
  });
});
