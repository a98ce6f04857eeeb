import type { Incident } from '../types';
import { anAssignment, anIncident } from '../testing/views';
import { renderQueues, type QueueEls } from './incidents';

const incident = (id: string, status: Incident['status'], assignment: 'none' | 'en_route' | 'cleared'): Incident =>
  anIncident({
  id,
  callNumber: id,
  type: 'Medical Incident',
  priority: 2,
  status,
  lat: 37.8,
  lon: -122.43,
  address: '1 Grant Ave',
  receivedAt: '2026-11-29T17:00:00Z',
  exercise: false,
  street: null,
  district: null,
  outsideBoundary: false,
  assignments:
    assignment === 'none' ? [] : [anAssignment({ id: `a-${id}`, unitId: 'M01', callsign: 'M01', capability: 'ambulance', status: assignment, etaSeconds: 60 })],
});

/** Stand-in list and count elements (only innerHTML and textContent are used). */
function els(): QueueEls {
  const el = () => ({ innerHTML: '', textContent: '' }) as unknown as HTMLElement;
  return { pending: { list: el(), count: el() }, active: { list: el(), count: el() }, resolved: { list: el(), count: el() } };
}

describe('the incident queues', () => {
  it('tag an open incident waiting for units UNASSIGNED, and not a resolved one whose units all cleared', () => {
    const q = els();
    const incidents = new Map([
      ['waiting', incident('waiting', 'received', 'none')],
      ['worked', incident('worked', 'en_route', 'en_route')],
      ['done', incident('done', 'resolved', 'cleared')],
    ]);
    expect(renderQueues(q, incidents, { tier: '', jurisdictionId: '' }, null)).toEqual(['waiting', 'worked', 'done']);
    expect(q.pending.list.innerHTML).toContain('UNASSIGNED');
    expect(q.active.list.innerHTML).not.toContain('UNASSIGNED');
    expect(q.resolved.list.innerHTML).not.toContain('UNASSIGNED');
    expect(q.resolved.list.innerHTML).toContain('all units cleared');
  });
});
