import { describeEvent } from './panel/detail';
import { anEvent, anIncident } from './testing/views';

/** A new user read "Incident closed" with no word of what the crews found: the close's line says its disposition. */
describe("the timeline's close line", () => {
  const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/[\u2066-\u2069]/g, '');

  it('says the disposition the dispatcher entered, escaped', () => {
    const closed = anEvent(9, 'incident.updated', anIncident({ status: 'closed', disposition: 'TREATED-RELEASED: patient <b>treated</b> on scene' }));
    const line = describeEvent(closed, new Map());
    expect(plain(line)).toBe('Incident closed: TREATED-RELEASED: patient &lt;b&gt;treated&lt;/b&gt; on scene');
    expect(line).not.toContain('<b>treated</b>');
  });

  it('an update that is not a close, or a close without one, reads as before', () => {
    expect(plain(describeEvent(anEvent(8, 'incident.updated', anIncident({ status: 'on_scene' })), new Map()))).toMatch(/^Incident on scene$/i);
    expect(plain(describeEvent(anEvent(9, 'incident.updated', anIncident({ status: 'closed', disposition: null })), new Map()))).toMatch(/^Incident closed$/i);
  });
});
