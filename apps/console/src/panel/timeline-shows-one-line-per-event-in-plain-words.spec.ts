import type { EventType } from '@cad/domain/events';
import { anEvent, type PayloadOf } from '../testing/views';
import type { AssignmentStatus, Unit } from '../types';
import { describeEvent } from './detail';
import { timelineEvents } from './timeline';

/**
 * The incident timeline has one line per happening: a unit's own status that echoes its task's step is
 * folded into the task's line, and a republished incident view ("Incident received" once per dispatch
 * round) gives no line of its own; a task taken back says why in plain words, with the unit's type.
 */
let seq = 0;
/** The next event, at 10:`at` on 2026-12-04. */
const ev = <T extends EventType>(type: T, at: string, payload: PayloadOf<T>, unitId: string | null = null) => anEvent(++seq, type, payload, { at: `2026-12-04T10:${at}Z`, unitId });
const asg = (unitId: string, status: AssignmentStatus, extra: Record<string, unknown> = {}) => ({ incidentId: 'i1', assignment: { id: `a-${unitId}`, unitId, capability: 'ambulance', status, etaSeconds: 200 }, ...extra });
const units = new Map<string, Unit>([
  ['AM30', { id: 'AM30', callsign: 'AM30', unitType: 'MEDIC', capabilities: ['ambulance', 'als'], status: 'en_route', lat: 0, lon: 0, stationId: 'st-30' }],
  ['E05', { id: 'E05', callsign: 'E05', unitType: 'ENGINE', capabilities: ['engine'], status: 'out_of_service', lat: 0, lon: 0, stationId: 'st-5' }],
]);
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('incident timeline: one line per event, in plain words', () => {
  const events = [
    ev('incident.created', '00:00', { status: 'received', priority: 1, type: 'Medical Incident' }),
    ev('incident.updated', '00:00', { status: 'received' }),
    ev('incident.updated', '00:01', { status: 'received' }),
    ev('assignment.created', '00:01', asg('AM30', 'dispatched')),
    ev('unit.status', '00:01', { unitId: 'AM30', status: 'dispatched' }, 'AM30'),
    ev('incident.updated', '00:01', { status: 'dispatched' }),
    ev('incident.updated', '00:02', { status: 'dispatched' }),
    ev('assignment.updated', '00:30', asg('AM30', 'en_route'), 'AM30'),
    ev('unit.status', '00:31', { unitId: 'AM30', status: 'en_route' }, 'AM30'),
    ev('assignment.created', '00:40', asg('E05', 'dispatched')),
    ev('unit.status', '00:40', { unitId: 'E05', status: 'dispatched' }, 'E05'),
    ev('assignment.updated', '02:40', asg('E05', 'cleared', { reason: 'not_acknowledged', detail: 'unit E05 did not acknowledge within 60 s' }), 'E05'),
    ev('unit.status', '02:40', { unitId: 'E05', status: 'out_of_service', reason: 'not_acknowledged' }, 'E05'),
    ev('incident.resources_requested', '02:41', {}),
    // A status of the unit long after any step of its task is news of its own.
    ev('unit.status', '09:00', { unitId: 'E05', status: 'available' }, 'E05'),
  ];
  const lines = timelineEvents(events).map((e) => text(describeEvent(e, units)));

  it('keeps one line per happening: no echo of a task step, no repeated incident status', () => {
    expect(lines).toEqual([
      'Incident created: P1 Medical Incident',
      'AM30 (Medic) dispatched (ambulance, ETA 3:20)',
      'Incident dispatched',
      'AM30 (Medic) en route',
      'E05 (Engine) dispatched (ambulance, ETA 3:20)',
      'E05 (Engine) did not acknowledge in time and was taken off the call',
      'More units requested',
      'E05 (Engine) is available',
    ]);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('shows no internal id or snake_case word', () => {
    for (const line of lines) expect(line).not.toMatch(/\b[a-z]+_[a-z_]+\b|did not acknowledge within|\bst-\d/);
  });
});
