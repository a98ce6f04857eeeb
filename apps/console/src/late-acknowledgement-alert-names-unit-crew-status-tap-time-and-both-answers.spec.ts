import { lateAckRow, noteAckEvent, setUpAckAlerts, ackAlertStats } from './ack-alerts';
import { setTimeZone } from './format';
import { anEvent } from './testing/views';
import type { LateAckPayload } from '@cad/contracts/events';

jest.mock('./api', () => ({ request: () => Promise.resolve([]) }));
// Stylesheets are the bundler's business; jest has no loader for them.
jest.mock('./ack-alerts.css', () => ({}));
jest.mock('./alert', () => ({ beep: () => undefined }));
const drawn: string[][] = [];
jest.mock('./alert-overlay', () => ({
  AlertOverlay: class {
    draw(_title: string, rows: { key: string; html: string }[]) {
      drawn.push(rows.map((r) => r.html));
    }
  },
  incidentPlace: () => 'Traffic Collision · Fell St',
}));

/** E10's late acknowledgement from the hostile tester's script: en route since its tap, received after the timer took the task back. */
const late: LateAckPayload = {
  incidentId: 'i1',
  assignmentId: 'a10',
  unitId: 'E10',
  reported: 'en_route',
  reportedAt: '2026-12-06T08:51:33.000Z',
  steps: [
    { status: 'acknowledged', at: '2026-12-06T08:51:23.000Z' },
    { status: 'en_route', at: '2026-12-06T08:51:33.000Z' },
  ],
  receivedAt: '2026-12-06T08:53:30.000Z',
  takenBackAt: '2026-12-06T08:53:13.520Z',
  replacements: [{ unitId: 'E16', assignmentId: 'a16', status: 'dispatched' }],
};
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('a late acknowledgement on the console', () => {
  beforeAll(() => {
    Object.assign(globalThis, { window: Object.assign(globalThis, { setInterval: () => 0 }), navigator: { languages: ['en'], language: 'en' } });
    setTimeZone('UTC');
  });

  it('names the unit, what the crew says it is doing since its own tap time, when the report came, the replacement, and both answers', () => {
    const row = lateAckRow(late, 'Traffic Collision · Fell St');
    expect(text(row)).toContain('E10 acknowledged late: crew reports en route since 08:51:33');
    expect(text(row)).toContain('report arrived 08:53:30, after the task was taken back at 08:53:13');
    expect(text(row)).toContain('replacement E16 (dispatched)');
    expect(row).toContain('data-late-action="give-back" data-assignment-id="a10"');
    expect(row).toContain('data-late-action="stand-down" data-assignment-id="a10"');
  });

  it('says so when no replacement could be sent', () => {
    expect(text(lateAckRow({ ...late, replacements: [] }, ''))).toContain('no replacement sent yet');
  });

  it('comes live first in the box with one beep, stays through the next late step, and ends when the dispatcher answers', () => {
    setUpAckAlerts({ incident: () => undefined, toast: () => undefined, open: () => undefined });
    noteAckEvent(anEvent(1, 'assignment.late_ack', { ...late, reported: 'acknowledged', reportedAt: late.steps[0]!.at, steps: late.steps.slice(0, 1) }));
    noteAckEvent(anEvent(2, 'assignment.late_ack', late));
    expect(ackAlertStats.lateShown).toBe(1);
    expect(text(drawn[drawn.length - 1]!.join())).toContain('crew reports en route since 08:51:33');
    noteAckEvent(anEvent(3, 'assignment.late_ack_decided', { incidentId: 'i1', assignmentId: 'a10', unitId: 'E10', decision: 'given_back', by: 'disp', recalled: ['E16'], kept: [] }));
    expect(drawn[drawn.length - 1]).toEqual([]);
  });

  it('ends when the unit is put back in service by hand, but not on another unit’s status', () => {
    noteAckEvent(anEvent(4, 'assignment.late_ack', late));
    noteAckEvent(anEvent(5, 'unit.status', { unitId: 'E16', status: 'available', lat: 0, lon: 0 }));
    expect(drawn[drawn.length - 1]).toHaveLength(1);
    noteAckEvent(anEvent(6, 'unit.status', { unitId: 'E10', status: 'available', lat: 0, lon: 0 }));
    expect(drawn[drawn.length - 1]).toEqual([]);
  });
});
